"""Whether a point lies in the province: a coarse polygon from ``data/categories.json``.

The polygon is an approximation (a few kilometres of margin around the province's known
extent, see ``docs/feedback.md``): it refuses a report placed plainly elsewhere — Ho Chi Minh
City's centre, Phnom Penh, (0, 0) from a phone without a fix — and accepts everything near the
border. The commune the citizen names decides the routing, not the point.
"""

from decimal import Decimal
from functools import cache

from egov.feedback.loaders import read_data


@cache
def province_polygon() -> tuple[tuple[float, float], ...]:
    """(latitude, longitude) vertices of the configured province's area."""
    return tuple((float(lat), float(lon)) for lat, lon in read_data()["area"]["polygon"])


def inside(latitude: float | Decimal, longitude: float | Decimal, polygon=None) -> bool:
    """Ray casting: count the polygon's edges crossed by a ray going east from the point."""
    polygon = polygon or province_polygon()
    y, x = float(latitude), float(longitude)
    crossings = False
    for (y1, x1), (y2, x2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        if (y1 > y) != (y2 > y):
            x_cross = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < x_cross:
                crossings = not crossings
    return crossings
