"""IP addresses as event-ruler reads them (SPEC 2.3 and 2.10).

An address must *look* like one first (dotted decimal quad, or hex digits and colons);
then it is parsed, leading zeros allowed, IPv6 case-insensitive and compressible.
IPv4-mapped IPv6 text (``::ffff:a00:1``) is the IPv4 address it maps.
"""

from __future__ import annotations

import ipaddress
import re
from typing import NamedTuple

__all__ = ["CidrError", "IpRange", "parse_cidr", "parse_ip"]

_IPV4_SHAPE = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+", re.ASCII)
_IPV6_SHAPE = re.compile(r"[0-9A-Fa-f:]*:[0-9A-Fa-f:]*", re.ASCII)
_MASK = re.compile(r"[+-]?[0-9]+", re.ASCII)
_MAPPED_PREFIX = 0xFFFF << 32
_INT_MAX = 2**31 - 1
_BITS = {4: 32, 6: 128}


class CidrError(ValueError):
    """A cidr operand AWS rejects; the message is AWS's reason text."""


class IpRange(NamedTuple):
    """An inclusive range of addresses of one family (4 or 6)."""

    family: int
    low: int
    high: int

    def contains(self, family: int, address: int) -> bool:
        """Whether an address is in the range, as event-ruler decides it.

        event-ruler compares the hex digits of the address with those of the bounds and
        stops at the first digit that settles it, so the families meet: an IPv6 address is
        judged by its first 32 bits against an IPv4 range, and an IPv4 address is inside an
        IPv6 range when it lies strictly between the first 32 bits of the bounds.
        """
        if family == self.family:
            return self.low <= address <= self.high
        if family == 6:
            return self.low <= address >> 96 <= self.high
        return self.low >> 96 < address < self.high >> 96


def _looks_like_ip(text: str) -> bool:
    if ":" not in text and not text[:1].isdigit():  # cheap: most strings are plainly not IPs
        return False
    return _IPV4_SHAPE.fullmatch(text) is not None or _IPV6_SHAPE.fullmatch(text) is not None


def _parse_shaped(text: str) -> tuple[int, int] | None:
    """(family, address) of text already known to look like an IP, or None if it is not one."""
    if _IPV4_SHAPE.fullmatch(text):
        parts = text.split(".")
        if any(len(part.lstrip("0")) > 3 for part in parts):  # over 255, and int() of it may be refused
            return None
        octets = [int(part) for part in parts]
        if any(octet > 255 for octet in octets):
            return None
        return 4, int.from_bytes(bytes(octets), "big")
    try:
        address = int(ipaddress.IPv6Address(text))
    except ValueError:
        return None
    if address >> 32 == 0xFFFF and address & ~0xFFFFFFFF == _MAPPED_PREFIX:
        return 4, address & 0xFFFFFFFF
    return 6, address


def parse_ip(text: str) -> tuple[int, int] | None:
    """(family, address) when ``text`` is an IP address literal, else None."""
    if not _looks_like_ip(text):
        return None
    return _parse_shaped(text)


def parse_cidr(text: str) -> IpRange:
    """The range of a ``cidr`` operand such as ``10.0.0.0/24``; CidrError with AWS's text."""
    parts = text.split("/")
    while parts and parts[-1] == "":  # Java's String.split drops trailing empty parts
        parts.pop()
    if len(parts) != 2:
        raise CidrError("Malformed CIDR, one '/' required")
    address_text, mask_text = parts
    # Digits beyond an int's ten are out of range (and int() refuses more than 4,300 of them).
    if (
        not _MASK.fullmatch(mask_text)
        or len(mask_text.lstrip("+-").lstrip("0")) > 10
        or abs(int(mask_text)) > _INT_MAX
    ):
        raise CidrError("Malformed CIDR, mask bits must be an integer")
    mask = int(mask_text)
    if mask < 0:
        raise CidrError("Malformed CIDR, mask bits must not be negative")
    if not _looks_like_ip(address_text):
        raise CidrError(f"Nonstandard IP address: {address_text}")
    parsed = _parse_shaped(address_text)
    if parsed is None:
        raise CidrError(f"Invalid IP address: {address_text}")
    family, address = parsed
    bits = _BITS[family]
    if mask >= bits:
        raise CidrError(f"IPv{family} mask bits must be < {bits}")
    host_mask = (1 << (bits - mask)) - 1
    low = address & ~host_mask
    return IpRange(family, low, low | host_mask)
