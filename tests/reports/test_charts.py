"""The SVG charts: well-formed XML with the right bars, points, titles and values."""

import xml.etree.ElementTree as ET

from egov.reports import charts

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_a_bar_per_month_with_its_value():
    root = _parse(
        charts.bar_chart("Hồ sơ tiếp nhận", ["01/26", "02/26", "03/26"], [4, 0, 12], ident="c")
    )
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c-t c-d"
    assert root.find(f"{SVG}title").text == "Hồ sơ tiếp nhận"
    assert root.find(f"{SVG}desc").text == "01/26: 4; 02/26: 0; 03/26: 12"
    bars = root.findall(f".//{SVG}rect[@class='bar']")
    assert [b.get("data-value") for b in bars] == ["4", "0", "12"]
    heights = [float(b.get("height")) for b in bars]
    # The axis tops at 20 (the next 1-2-4-8 step above 12), with ticks at 5, 10 and 15.
    assert heights[1] == 0 and abs(heights[2] / heights[0] - 3) < 0.01
    assert [b.find(f"{SVG}title").text for b in bars][2] == "03/26: 12"
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert {"5", "10", "15", "20", "01/26"} <= set(labels)  # the ticks and a month


def test_lines_skip_months_without_a_value():
    series = [
        charts.Series("Trực tuyến", [50.0, None, 75.0]),
        charts.Series("Đúng hạn", [100.0, 80.0, 90.0]),
    ]
    root = _parse(charts.line_chart("Tỉ lệ", ["01/26", "02/26", "03/26"], series, ident="r"))
    points = root.findall(f".//{SVG}circle")
    assert [(p.get("data-series"), p.get("data-value")) for p in points] == [
        ("Trực tuyến", "50.0"), ("Trực tuyến", "75.0"),
        ("Đúng hạn", "100.0"), ("Đúng hạn", "80.0"), ("Đúng hạn", "90.0"),
    ]  # fmt: skip
    # The first series is broken by the missing month: no line joins its two points.
    assert len(root.findall(f".//{SVG}polyline")) == 1
    assert "Trực tuyến: 01/26 50%; 02/26 —; 03/26 75%." in root.find(f"{SVG}desc").text


def test_text_is_escaped():
    root = _parse(charts.bar_chart("A & <B>", ["x"], [1], ident="e"))
    assert root.find(f"{SVG}title").text == "A & <B>"


def test_many_months_keep_their_labels_apart():
    labels = [f"{m:02d}/26" for m in range(1, 13)] + [f"{m:02d}/27" for m in range(1, 13)]
    root = _parse(charts.bar_chart("24 tháng", labels, list(range(24)), ident="m"))
    shown = [t.text for t in root.iter(f"{SVG}text") if t.text in labels]
    assert len(shown) == 6 and len(root.findall(f".//{SVG}rect[@class='bar']")) == 24
