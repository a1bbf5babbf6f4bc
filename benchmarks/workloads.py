"""Deterministic workload generators for the eventmatch benchmarks.

Every generator takes a rule count and an event count and returns a :class:`Workload` built from a seeded
``random.Random``; nothing is read from disk or downloaded. Three workloads are provided:

* ``routing``: EventBridge envelope events (600-900 bytes of JSON) and routing rules on ``source``,
  ``detail-type`` and one or two ``detail`` fields. Every event matches 1-3 rules at every rule count.
* ``operators``: citylots-like GeoJSON features and rules that use every operator family.
* ``dense``: rules copied from values of the events themselves, so matches per event grow with N.

Run ``python benchmarks/workloads.py`` for a self-test that checks the workloads against the reference
interpreter (``reference_matcher.py``).
"""

from __future__ import annotations

import argparse
import ipaddress
import math
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from random import Random
from typing import Any

import orjson

Pattern = dict[str, Any]
DEFAULT_EVENTS = 2_000
SIZES = (10, 1_000, 10_000, 100_000)


def _words(text: str, separator: str | None = None) -> tuple[str, ...]:
    """The vocabulary written in ``text``, split on whitespace (or on ``separator``)."""
    return tuple(text.split(separator))


STATUSES = _words("CREATED PAID PACKED SHIPPED DELIVERED CANCELLED REFUNDED ON_HOLD")
CURRENCIES = _words("USD EUR GBP JPY CAD AUD CHF SEK")
REGIONS = _words("us-east-1 us-east-2 us-west-2 eu-west-1 eu-central-1 ap-southeast-2 ap-northeast-1")
TIERS = _words("free basic silver gold platinum")
COUNTRIES = _words("US DE FR GB JP CA AU BR IN NL SE ES")
CHANNELS = _words("web ios android pos partner-api")
SHIPPING = _words("standard express overnight pickup")
CITIES = _words("Seattle,Berlin,Paris,London,Tokyo,Toronto,Sydney,Sao Paulo,Mumbai,Madrid", ",")
TAGS = _words("vip b2b gift promo backorder fragile")
ORGS = _words("acme globex initech umbrella hooli stark wayne tyrell cyberdyne wonka aperture soylent")
SERVICES = _words(
    "orders payments shipping inventory billing catalog accounts returns fraud loyalty search support "
    "pricing invoices notifications reviews"
)
NOUNS = _words(
    "Order Payment Shipment Invoice Refund Customer Cart Subscription Return Coupon Review Ticket Account "
    "Product Price Stock Parcel Delivery Quote Contract"
)
VERBS = _words("Created Updated Deleted Approved Rejected Completed Failed Cancelled Expired Submitted")


@dataclass(frozen=True)
class Workload:
    """A named benchmark input: rules to add to a machine and JSON events to match against them."""

    name: str
    rules: list[tuple[str, Pattern]]
    events: list[bytes]


# --------------------------------------------------------------------------------------------------------
# EventBridge envelope events (shared by the routing and dense workloads)
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """The values that every event of one (source, detail-type, tenant) stream shares."""

    source: str
    detail_type: str
    tenant: str
    region: str
    statuses: tuple[str, ...]
    amount_lo: int
    amount_hi: int
    currency: str
    tier: str
    has_coupon: bool
    order_prefix: str


def source_names() -> list[str]:
    """All source names the generators can use (``com.<org>.<service>``)."""
    return [f"com.{org}.{service}" for service in SERVICES for org in ORGS]


def detail_type_names() -> list[str]:
    """All detail-types the generators can use (``<Noun> <Verb>``)."""
    return [f"{noun} {verb}" for verb in VERBS for noun in NOUNS]


def tenant_names(rng: Random, count: int) -> list[str]:
    """``count`` distinct tenant ids of one fixed width, e.g. ``tn-3f09a1``."""
    return [f"tn-{value:06x}" for value in rng.sample(range(16**6), count)]


def random_profile(rng: Random, source: str, detail_type: str, tenant: str) -> Profile:
    """Draw the shared values of a stream; amounts lie in ``[amount_lo, amount_hi)``."""
    amount_lo = rng.choice((0, 10, 25, 50, 100, 250, 1000))
    return Profile(
        source=source,
        detail_type=detail_type,
        tenant=tenant,
        region=rng.choice(REGIONS),
        statuses=tuple(rng.sample(STATUSES, rng.randint(1, 3))),
        amount_lo=amount_lo,
        amount_hi=amount_lo + rng.choice((20, 100, 500, 5000)),
        currency=rng.choice(CURRENCIES),
        tier=rng.choice(TIERS),
        has_coupon=rng.random() < 0.3,
        order_prefix=f"{rng.choice(COUNTRIES)}{rng.randrange(100):02d}-",
    )


def _uuid(rng: Random) -> str:
    digits = f"{rng.getrandbits(128):032x}"
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def _timestamp(rng: Random) -> str:
    return (
        f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T"
        f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}Z"
    )


def _items(rng: Random) -> list[dict[str, Any]]:
    return [
        {
            "sku": f"SKU-{rng.randrange(100_000):05d}",
            "qty": rng.randint(1, 5),
            "price": rng.randrange(100, 20_000) / 100,
        }
        for _ in range(rng.randint(1, 3))
    ]


def _detail(rng: Random, profile: Profile) -> dict[str, Any]:
    amount = profile.amount_lo + rng.randrange((profile.amount_hi - profile.amount_lo) * 100) / 100
    detail: dict[str, Any] = {
        "tenantId": profile.tenant,
        "orderId": f"{profile.order_prefix}{rng.getrandbits(40):010x}",
        "status": rng.choice(profile.statuses),
        "amount": amount,
        "currency": profile.currency,
        "priority": rng.randint(1, 5),
        "channel": rng.choice(CHANNELS),
        "customer": {
            "id": f"cus-{rng.getrandbits(32):08x}",
            "tier": profile.tier,
            "country": rng.choice(COUNTRIES),
            "email": f"user{rng.randrange(10**6)}@example.com",
        },
        "shipping": {
            "method": rng.choice(SHIPPING),
            "address": {"city": rng.choice(CITIES), "zip": f"{rng.randrange(100_000):05d}"},
        },
        "items": _items(rng),
        "tags": rng.sample(TAGS, rng.randint(0, 3)),
        "retryCount": rng.choice((0, 0, 0, 1, 2)),
        "createdAt": _timestamp(rng),
    }
    if profile.has_coupon:
        detail["couponCode"] = f"SAVE{rng.choice((5, 10, 15, 20))}"
    return detail


def envelope_event(rng: Random, profile: Profile) -> dict[str, Any]:
    """An EventBridge event of ``profile``'s stream (about 600-900 bytes as JSON)."""
    account = f"{int(profile.tenant[3:], 16) % 10**12:012d}"
    detail = _detail(rng, profile)
    service = profile.source.rsplit(".", 1)[-1]
    return {
        "version": "0",
        "id": _uuid(rng),
        "detail-type": profile.detail_type,
        "source": profile.source,
        "account": account,
        "time": _timestamp(rng),
        "region": profile.region,
        "resources": [f"arn:aws:{service}:{profile.region}:{account}:order/{detail['orderId']}"],
        "detail": detail,
    }


# --------------------------------------------------------------------------------------------------------
# routing
# --------------------------------------------------------------------------------------------------------

# A routing rule constrains its stream's source, detail-type and tenant exactly, plus at most one "extra"
# detail field. "Matching" extras hold for every event of the stream, "decoy" extras for none of them.

_MATCHING_EXTRAS = ("plain", "status", "currency", "amount", "order-prefix", "not-status", "exists")
_MATCHING_WEIGHTS = (30, 20, 15, 10, 10, 8, 7)
_DECOY_EXTRAS = ("status", "amount", "not-status", "coupon", "order-prefix")


def _matching_extra(rng: Random, profile: Profile) -> Pattern:
    kind = rng.choices(_MATCHING_EXTRAS, _MATCHING_WEIGHTS)[0]
    others = [status for status in STATUSES if status not in profile.statuses]
    if kind == "status":
        return {"status": list(profile.statuses)}
    if kind == "currency":
        return {"currency": [profile.currency]}
    if kind == "amount":
        return {"amount": [{"numeric": [">=", profile.amount_lo, "<", profile.amount_hi]}]}
    if kind == "order-prefix":
        return {"orderId": [{"prefix": profile.order_prefix}]}
    if kind == "not-status":
        return {"status": [{"anything-but": rng.sample(others, rng.randint(1, 3))}]}
    if kind == "exists":
        return {"couponCode": [{"exists": profile.has_coupon}]}
    return {}


def _decoy_extra(rng: Random, profile: Profile) -> Pattern:
    kind = rng.choice(_DECOY_EXTRAS)
    others = [status for status in STATUSES if status not in profile.statuses]
    if kind == "status":
        return {"status": rng.sample(others, rng.randint(1, 2))}
    if kind == "amount":
        return {"amount": [{"numeric": [">=", profile.amount_hi]}]}
    if kind == "not-status":
        return {"status": [{"anything-but": list(profile.statuses)}]}
    if kind == "coupon":
        return {"couponCode": [{"exists": not profile.has_coupon}]}
    return {"orderId": [{"prefix": "XX" + profile.order_prefix}]}


def _routing_rule(profile: Profile, extra: Pattern) -> Pattern:
    return {
        "source": [profile.source],
        "detail-type": [profile.detail_type],
        "detail": {"tenantId": [profile.tenant], **extra},
    }


def _group_sizes(rng: Random, n_rules: int) -> list[tuple[int, int]]:
    """(matching, decoy) rule counts per stream, 1-3 matching rules each, adding up to ``n_rules``."""
    groups: list[tuple[int, int]] = []
    remaining = n_rules
    while remaining > 0:
        matching = min(remaining, rng.choices((1, 2, 3), (45, 35, 20))[0])
        decoys = min(remaining - matching, int(rng.random() < 0.35))
        groups.append((matching, decoys))
        remaining -= matching + decoys
    return groups


def _stream_profiles(rng: Random, count: int) -> list[Profile]:
    """``count`` profiles with distinct (source, detail-type, tenant) keys; vocabularies grow with count."""
    per_axis = max(2, math.ceil(count**0.3))
    sources = rng.sample(source_names(), per_axis)
    detail_types = rng.sample(detail_type_names(), per_axis)
    tenants = tenant_names(rng, math.ceil(count / per_axis**2))
    keys = rng.sample(range(per_axis * per_axis * len(tenants)), count)
    return [
        random_profile(
            rng,
            sources[key % per_axis],
            detail_types[key // per_axis % per_axis],
            tenants[key // per_axis**2],
        )
        for key in keys
    ]


def routing(n_rules: int, n_events: int = DEFAULT_EVENTS, seed: int = 0) -> Workload:
    """Routing rules over EventBridge events; each event matches 1-3 rules whatever ``n_rules`` is.

    Rules come in streams of 1-3 matching rules plus at most one decoy. Every rule pins its stream's
    (source, detail-type, tenantId) exactly and those keys are distinct, so an event of one stream can only
    match rules of that stream: all of its matching rules and none of its decoys.
    """
    rng = Random(f"routing-{seed}-{n_rules}")
    groups = _group_sizes(rng, n_rules)
    profiles = _stream_profiles(rng, len(groups))
    patterns: list[Pattern] = []
    for profile, (matching, decoys) in zip(profiles, groups, strict=True):
        patterns += [_routing_rule(profile, _matching_extra(rng, profile)) for _ in range(matching)]
        patterns += [_routing_rule(profile, _decoy_extra(rng, profile)) for _ in range(decoys)]
    events = [orjson.dumps(envelope_event(rng, rng.choice(profiles))) for _ in range(n_events)]
    return Workload("routing", _named("routing", patterns), events)


def _named(prefix: str, patterns: Sequence[Pattern]) -> list[tuple[str, Pattern]]:
    return [(f"{prefix}-{index:06d}", pattern) for index, pattern in enumerate(patterns)]


# --------------------------------------------------------------------------------------------------------
# operators (citylots-like GeoJSON)
# --------------------------------------------------------------------------------------------------------


def _ordinal_suffix(number: int) -> str:
    if number % 100 in (11, 12, 13):
        return "TH"
    return {1: "ST", 2: "ND", 3: "RD"}.get(number % 10, "TH")


STREETS = (
    *_words(
        "UNKNOWN,MISSION,VALENCIA,MARKET,JEFFERSON,FOLSOM,HOWARD,BRYANT,HARRISON,GEARY,CLEMENT,"
        "CALIFORNIA,SACRAMENTO,CLAY,WASHINGTON,JACKSON,PACIFIC,BROADWAY,VALLEJO,GREEN,UNION,FILBERT,"
        "LOMBARD,CHESTNUT,BAY,NORTH POINT,JUDAH,IRVING,NORIEGA,TARAVAL,ULLOA,VICENTE,SLOAT,OCEAN,GENEVA,"
        "SAN JOSE,SAN BRUNO,SAN JUAN,DE HARO,POTRERO,DIVISADERO,FILLMORE,STEINER,VAN NESS,POLK,LARKIN,"
        "HYDE,LEAVENWORTH,JONES,TAYLOR,MASON,POWELL,STOCKTON,GRANT,KEARNY,MONTGOMERY,SANSOME,BATTERY,"
        "FRONT,DAVIS,DRUMM",
        ",",
    ),
    *(f"{number}{_ordinal_suffix(number)}" for number in range(1, 49)),
)
ST_TYPES = ("ST", "AVE", "BLVD", "WAY", "TER", "PL", "DR", None)
ZONES = ("RH-1", "RH-2", "RH-3", "RM-1", "RM-2", "NC-1", "NC-2", "C-3-O", "PDR-1-G", "P")


def _lot_properties(rng: Random) -> dict[str, Any]:
    block = f"{rng.randrange(1, 8000):04d}"
    lot = f"{rng.randrange(1, 300):03d}"
    blklot = block + lot + ("A" if rng.random() < 0.1 else "")
    from_st = rng.randrange(0, 4000, 2 if rng.random() < 0.5 else 1)
    properties: dict[str, Any] = {
        "MAPBLKLOT": blklot,
        "BLKLOT": blklot,
        "BLOCK_NUM": block,
        "LOT_NUM": lot,
        "FROM_ST": str(from_st),
        "TO_ST": str(from_st + rng.randrange(0, 60)),
        "STREET": rng.choice(STREETS),
        "ST_TYPE": rng.choice(ST_TYPES),
        "ODD_EVEN": "E" if from_st % 2 == 0 else "O",
        "LOT_AREA": round(rng.lognormvariate(7.5, 0.9), 2),
        "SURVEY_IP": _survey_ip(rng),
    }
    if rng.random() < 0.7:
        properties["ZONE"] = rng.choice(ZONES)
    return properties


def _survey_ip(rng: Random) -> str:
    if rng.random() < 0.1:
        return f"2001:db8:{rng.randrange(256):x}:{rng.randrange(256):x}::{rng.getrandbits(16):x}"
    return f"10.{rng.randrange(16)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def _polygon(rng: Random) -> list[list[list[float]]]:
    """One closed ring of 10-15 [longitude, latitude, 0.0] points: about 38 numbers, most of 17 digits."""
    lon, lat = -122.52 + rng.random() * 0.16, 37.70 + rng.random() * 0.11
    ring = [
        [lon + rng.uniform(-3e-4, 3e-4), lat + rng.uniform(-3e-4, 3e-4), 0.0]
        for _ in range(rng.randint(9, 14))
    ]
    return [[*ring, ring[0]]]


def lot_feature(rng: Random) -> dict[str, Any]:
    """One citylots-like GeoJSON feature, with the added LOT_AREA, SURVEY_IP and optional ZONE properties."""
    return {
        "type": "Feature",
        "properties": _lot_properties(rng),
        "geometry": {"type": "Polygon", "coordinates": _polygon(rng)},
    }


def _props(**conditions: list[Any]) -> Pattern:
    return {"properties": dict(conditions)}


def _anything_but(rng: Random, lot: dict[str, Any]) -> Pattern:
    form = rng.randrange(7)
    if form == 0:
        return _props(BLOCK_NUM=[lot["BLOCK_NUM"]], ODD_EVEN=[{"anything-but": "E"}])
    if form == 1:
        return _props(BLOCK_NUM=[lot["BLOCK_NUM"]], STREET=[{"anything-but": rng.sample(STREETS, 3)}])
    if form == 2:
        return _props(MAPBLKLOT=[{"prefix": lot["BLOCK_NUM"]}], ZONE=[{"anything-but": {"prefix": "RH"}}])
    if form == 3:
        return _props(BLOCK_NUM=[lot["BLOCK_NUM"]], STREET=[{"anything-but": {"suffix": "TH"}}])
    if form == 4:
        return _props(
            BLKLOT=[{"prefix": lot["BLKLOT"][:5]}],
            STREET=[{"anything-but": {"equals-ignore-case": "unknown"}}],
        )
    if form == 5:
        return _props(BLOCK_NUM=[lot["BLOCK_NUM"]], STREET=[{"anything-but": {"wildcard": "SAN *"}}])
    return _props(BLOCK_NUM=[lot["BLOCK_NUM"]], LOT_AREA=[{"anything-but": [100, 200.5]}])


def _numeric(rng: Random, lot: dict[str, Any]) -> Pattern:
    area = lot["LOT_AREA"]
    if rng.random() < 0.5:
        return _props(LOT_AREA=[{"numeric": [">=", round(area, 1), "<", round(area * 1.002 + 0.1, 1)]}])
    return _props(
        STREET=[lot["STREET"]],
        ST_TYPE=[lot["ST_TYPE"]],
        LOT_AREA=[{"numeric": [">", round(area * 0.9)]}, {"numeric": ["<", 50]}],
    )


def _exists(rng: Random, lot: dict[str, Any]) -> Pattern:
    present = rng.random() < 0.5
    key = rng.choice(("ZONE", "ST_TYPE", "MISSING_FIELD"))
    return _props(BLOCK_NUM=[lot["BLOCK_NUM"]], **{key: [{"exists": present}]})


def _string_ops(kind: str, lot: dict[str, Any]) -> Pattern:
    block, street = lot["BLOCK_NUM"], lot["STREET"]
    if kind == "exact":
        return {"type": ["Feature"], **_props(BLOCK_NUM=[block, "0000"], ODD_EVEN=[lot["ODD_EVEN"]])}
    if kind == "prefix":
        return _props(MAPBLKLOT=[{"prefix": block}])
    if kind == "suffix":
        return _props(MAPBLKLOT=[{"suffix": lot["MAPBLKLOT"][-4:]}])
    if kind == "equals-ignore-case":
        return _props(STREET=[{"equals-ignore-case": street.title()}], BLOCK_NUM=[{"prefix": block[:2]}])
    return _props(MAPBLKLOT=[{"wildcard": f"{block[:3]}*{lot['LOT_NUM'][1:]}*"}])


def _cidr(rng: Random, lot: dict[str, Any]) -> Pattern:
    address = lot["SURVEY_IP"]
    mask = 48 if ":" in address else rng.choice((22, 23, 24))
    return _props(SURVEY_IP=[{"cidr": str(ipaddress.ip_network(f"{address}/{mask}", strict=False))}])


def _coordinates(rng: Random) -> Pattern:
    """A numeric range over every number of ``geometry.coordinates``, around a vertex of a random lot.

    The ranges are on longitudes or latitudes and narrow (2-40 millionths of a degree), so an event
    rarely matches; but every coordinate of every event is a numeric leaf the range must be looked up for.
    """
    centre = rng.choice(_polygon(rng)[0][0][:2])
    width = rng.uniform(1e-6, 2e-5)
    low, high = round(centre - width, 7), round(centre + width, 7)
    operators = (">", "<") if rng.random() < 0.5 else (">=", "<=")
    return {"geometry": {"coordinates": [{"numeric": [operators[0], low, operators[1], high]}]}}


def _or(lot: dict[str, Any]) -> Pattern:
    return {
        "$or": [
            _props(MAPBLKLOT=[lot["MAPBLKLOT"]]),
            _props(STREET=[lot["STREET"]], ODD_EVEN=[lot["ODD_EVEN"]], ST_TYPE=[lot["ST_TYPE"]]),
            {"geometry": {"type": ["Point"]}},
        ]
    }


_OPERATOR_FAMILIES = (
    "exact",
    "prefix",
    "suffix",
    "equals-ignore-case",
    "wildcard",
    "anything-but",
    "numeric",
    "coordinates",
    "exists",
    "cidr",
    "$or",
)


def _operator_rule(rng: Random, family: str) -> Pattern:
    if family == "coordinates":
        return _coordinates(rng)
    lot = _lot_properties(rng)
    if family == "anything-but":
        return _anything_but(rng, lot)
    if family == "numeric":
        return _numeric(rng, lot)
    if family == "exists":
        return _exists(rng, lot)
    if family == "cidr":
        return _cidr(rng, lot)
    if family == "$or":
        return _or(lot)
    return _string_ops(family, lot)


def operators(n_rules: int, n_events: int = DEFAULT_EVENTS, seed: int = 0) -> Workload:
    """Every operator family, round-robin, over citylots-like features; operands follow the event values.

    The events do not depend on ``n_rules``; matches per event grow in proportion to it (about 0.3 per
    thousand rules), and every operator family contributes matches.
    """
    rng = Random(f"operators-rules-{seed}-{n_rules}")
    patterns = [
        _operator_rule(rng, _OPERATOR_FAMILIES[index % len(_OPERATOR_FAMILIES)]) for index in range(n_rules)
    ]
    event_rng = Random(f"operators-events-{seed}")
    events = [orjson.dumps(lot_feature(event_rng)) for _ in range(n_events)]
    return Workload("operators", _named("operators", patterns), events)


# --------------------------------------------------------------------------------------------------------
# dense
# --------------------------------------------------------------------------------------------------------

_DENSE_PATHS = (
    "source",
    "detail-type",
    "region",
    "account",
    "detail.tenantId",
    "detail.status",
    "detail.currency",
    "detail.channel",
    "detail.priority",
    "detail.customer.tier",
    "detail.customer.country",
    "detail.shipping.address.city",
    "detail.items.sku",
)


def _dense_events(seed: int, n_events: int) -> list[dict[str, Any]]:
    rng = Random(f"dense-events-{seed}")
    sources = rng.sample(source_names(), 12)
    detail_types = rng.sample(detail_type_names(), 20)
    tenants = tenant_names(rng, 40)
    return [
        envelope_event(
            rng, random_profile(rng, rng.choice(sources), rng.choice(detail_types), rng.choice(tenants))
        )
        for _ in range(n_events)
    ]


def _value_at(event: dict[str, Any], path: str, rng: Random) -> Any:
    value: Any = event
    for key in path.split("."):
        value = rng.choice(value)[key] if isinstance(value, list) else value[key]
    return value


def _set_path(pattern: Pattern, path: str, values: list[Any]) -> None:
    *parents, leaf = path.split(".")
    for key in parents:
        pattern = pattern.setdefault(key, {})
    pattern[leaf] = values


def _dense_rule(rng: Random, event: dict[str, Any]) -> Pattern:
    pattern: Pattern = {}
    for path in rng.sample(_DENSE_PATHS, rng.choices((1, 2), (5, 95))[0]):
        value = _value_at(event, path, rng)
        if isinstance(value, str) and rng.random() < 0.3:
            _set_path(pattern, path, [{"prefix": value[: max(1, len(value) // 2)]}])
        else:
            _set_path(pattern, path, [value])
    return pattern


def dense(n_rules: int, n_events: int = DEFAULT_EVENTS, seed: int = 0) -> Workload:
    """Rules made of exact values or prefixes of 1-2 fields of a random event; matches grow with N.

    The events do not depend on ``n_rules``. At most one field of a rule lies in the ``items`` array, so
    array consistency never comes into play.
    """
    parsed = _dense_events(seed, n_events)
    rng = Random(f"dense-rules-{seed}-{n_rules}")
    patterns = [_dense_rule(rng, rng.choice(parsed)) for _ in range(n_rules)]
    return Workload("dense", _named("dense", patterns), [orjson.dumps(event) for event in parsed])


WORKLOADS: dict[str, Callable[[int, int, int], Workload]] = {
    "routing": routing,
    "operators": operators,
    "dense": dense,
}


# --------------------------------------------------------------------------------------------------------
# self-test
# --------------------------------------------------------------------------------------------------------


def reference_counts(workload: Workload, max_events: int | None = None) -> list[int]:
    """Matches per event according to the reference matcher (optionally for the first events only)."""
    from reference_matcher import ReferenceMatcher  # eventmatch's internals: only the self-test needs them

    matcher = ReferenceMatcher(workload.rules)
    return [len(matcher.match(orjson.loads(event))) for event in workload.events[:max_events]]


def _self_test_one(name: str, n_rules: int, n_events: int, brute_force_limit: int) -> None:
    start = time.perf_counter()
    workload = WORKLOADS[name](n_rules, n_events, 0)
    elapsed = time.perf_counter() - start
    assert len(workload.rules) == n_rules and len(workload.events) == n_events
    assert len({rule_name for rule_name, _ in workload.rules}) == n_rules
    assert workload == WORKLOADS[name](n_rules, n_events, 0), "generation is not deterministic"
    sizes = [len(event) for event in workload.events]
    checked = n_events if name == "routing" else max(1, min(n_events, brute_force_limit // n_rules))
    counts = reference_counts(workload, checked)
    if name == "routing":
        assert min(counts) >= 1 and max(counts) <= 3, f"routing N={n_rules}: {min(counts)}..{max(counts)}"
    print(
        f"{name:9} N={n_rules:>7,} generated in {elapsed:5.2f}s; event bytes {min(sizes)}..{max(sizes)} "
        f"(mean {statistics.fmean(sizes):.0f}); matches/event over {checked} events: "
        f"{min(counts)}..{max(counts)} (mean {statistics.fmean(counts):.2f})"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Generate every workload at every size and check it with the reference matcher."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--events", type=int, default=DEFAULT_EVENTS)
    parser.add_argument(
        "--brute-force-limit",
        type=int,
        default=1_000_000,
        help="max rule x event evaluations for the unindexed workloads (default %(default)s)",
    )
    args = parser.parse_args(argv)
    for name in WORKLOADS:
        for n_rules in (int(size) for size in args.sizes.split(",")):
            _self_test_one(name, n_rules, args.events, args.brute_force_limit)
    print("ok: every routing event matches 1-3 rules at every size")
    return 0


if __name__ == "__main__":
    sys.exit(main())
