"""IP addresses for ``cidr`` tests: which addresses of each family a block accepts, and their texts.

A cidr test accepts strings that read as an IP address inside its block, as event-ruler compares them
(:meth:`eventmatch.ipaddr.IpRange.contains`): an IPv4 block also takes IPv6 addresses by their first 32
bits, and an IPv6 block IPv4 addresses strictly between its bounds' first 32 bits. So each block is one
interval of addresses per family, and a set of blocks that must hold and blocks that must not is a few
intervals per family: empty, or a source of addresses to write as text.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Sequence

from ..ipaddr import IpRange

__all__ = ["address_texts", "remaining_addresses"]

_BITS = {4: 32, 6: 128}
_MAPPED = 0xFFFF << 32  # ::ffff:0:0/96, read as the IPv4 address it maps

Interval = tuple[int, int]


def _accepted(block: IpRange, family: int) -> Interval | None:
    """The addresses of ``family`` that ``block`` accepts, as an inclusive interval (None: none)."""
    if family == block.family:
        return block.low, block.high
    if family == 6:  # an IPv6 address against an IPv4 block: its first 32 bits decide
        return block.low << 96, (block.high << 96) | ((1 << 96) - 1)
    low, high = (block.low >> 96) + 1, (block.high >> 96) - 1
    return (low, high) if low <= high else None


def _subtract(intervals: list[Interval], removed: Interval) -> list[Interval]:
    kept = []
    for low, high in intervals:
        if removed[1] < low or high < removed[0]:
            kept.append((low, high))
            continue
        if low < removed[0]:
            kept.append((low, removed[0] - 1))
        if removed[1] < high:
            kept.append((removed[1] + 1, high))
    return kept


def remaining_addresses(inside: Sequence[IpRange], outside: Sequence[IpRange]) -> dict[int, list[Interval]]:
    """Per family, the addresses every block of ``inside`` accepts and no block of ``outside`` does."""
    remaining: dict[int, list[Interval]] = {}
    for family, bits in _BITS.items():
        intervals = [(0, (1 << bits) - 1)]
        for block in inside:
            accepted = _accepted(block, family)
            low, high = accepted if accepted is not None else (1, 0)
            intervals = [(max(a, low), min(b, high)) for a, b in intervals if max(a, low) <= min(b, high)]
        for block in outside:
            accepted = _accepted(block, family)
            if accepted is not None:
                intervals = _subtract(intervals, accepted)
        remaining[family] = intervals
    return remaining


def _texts(family: int, address: int) -> list[str]:
    if family == 4:
        text = str(ipaddress.IPv4Address(address))
        return [text, "0" + text, f"::ffff:{address >> 16:x}:{address & 0xFFFF:x}"]
    parsed = ipaddress.IPv6Address(address)
    return [str(parsed), parsed.exploded, parsed.exploded.upper()]


def address_texts(remaining: dict[int, list[Interval]]) -> Iterator[str]:
    """Texts of some of the ``remaining`` addresses (the ends and the middle of each interval), each
    in a few spellings event-ruler reads alike."""
    for family, intervals in remaining.items():
        for low, high in intervals:
            for address in dict.fromkeys((low + 1 if low < high else low, low, high, (low + high) // 2)):
                if family == 6 and address & ~0xFFFFFFFF == _MAPPED:
                    continue  # written in IPv6, it would read as an IPv4 address
                yield from _texts(family, address)
