"""cidr blocks and IP-address literals: integer ranges per address family.

event-ruler lets the families meet (see :meth:`eventmatch.ipaddr.IpRange.contains`): an
IPv6 address is judged by its first 32 bits against IPv4 blocks, and an IPv4 address sits
inside an IPv6 block when it lies strictly between the first 32 bits of its bounds. So
IPv6 blocks are also filed by those 32-bit bounds.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

from ..ipaddr import IpRange, parse_ip
from .intervals import Interval, IntervalIndex

T = TypeVar("T", bound=Hashable)

__all__ = ["CidrIndex"]


class CidrIndex(Generic[T]):
    """Targets of cidr tests at one field."""

    __slots__ = ("ipv4", "ipv6", "ipv6_as_ipv4")

    def __init__(self) -> None:
        self.ipv4: IntervalIndex[T] = IntervalIndex()
        self.ipv6: IntervalIndex[T] = IntervalIndex()
        self.ipv6_as_ipv4: IntervalIndex[T] = IntervalIndex()

    def _filings(self, block: IpRange) -> list[tuple[IntervalIndex[T], Interval]]:
        if block.family == 4:
            return [(self.ipv4, Interval(block.low, False, block.high, False))]
        return [
            (self.ipv6, Interval(block.low, False, block.high, False)),
            (self.ipv6_as_ipv4, Interval(block.low >> 96, True, block.high >> 96, True)),
        ]

    def add(self, block: IpRange, target: T) -> None:
        for index, interval in self._filings(block):
            index.add(interval, target)

    def __bool__(self) -> bool:
        return bool(self.ipv4) or bool(self.ipv6)

    def lookup(self, value: str, out: set[T]) -> None:
        address = parse_ip(value)
        if address is None:
            return
        family, number = address
        if family == 4:
            if self.ipv4:
                self.ipv4.lookup(number, out)
            if self.ipv6_as_ipv4:
                self.ipv6_as_ipv4.lookup(number, out)
        else:
            if self.ipv6:
                self.ipv6.lookup(number, out)
            if self.ipv4:
                self.ipv4.lookup(number >> 96, out)
