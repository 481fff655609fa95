"""The report's two figures, drawn by the app as inline SVG: the charter's likelihood x impact
matrix with this system's cell marked, and the impact score with the part of each area.

Only numbers computed here and words from the questionnaire or this module reach the markup,
and every word is escaped by ``Markup.format``; the template inserts the result as it is.
No script, no external reference: the SVG is self-contained.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup

from ..engine.definition import IMPACTS, LEVEL_NAMES, LIKELIHOODS
from ..engine.scoring import CHARTER_MATRIX
from ..i18n import _
from ..presentation import LIKELIHOOD_LABELS, RATING_LABELS

RATING_FILL = {"low": "#d8ecd3", "moderate": "#fbe3a6", "high": "#f5c4bd"}
INK = "#1b1b1b"
MUTED = "#555555"
BAR_RISK = "#8a3b12"
BAR_MITIGATION = "#1f5f8b"
TRACK = "#e6e6e6"


def _text(
    x: float,
    y: float,
    words: str,
    size: float = 11,
    anchor: str = "start",
    weight: str = "normal",
    fill: str = INK,
    rotate: int = 0,
) -> Markup:
    turn = f"rotate({rotate} {x:g} {y:g})" if rotate else ""
    return Markup(
        '<text x="{}" y="{}" font-size="{}" text-anchor="{}" font-weight="{}" fill="{}" '
        'font-family="DejaVu Sans, sans-serif" transform="{}">{}</text>'
    ).format(f"{x:g}", f"{y:g}", f"{size:g}", anchor, weight, fill, turn, words)


def _rect(
    x: float, y: float, width: float, height: float, fill: str, stroke: str = "none", stroke_width: float = 0
) -> Markup:
    return Markup(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" stroke-width="{}"/>'
    ).format(f"{x:.1f}", f"{y:.1f}", f"{width:.1f}", f"{height:.1f}", fill, stroke, f"{stroke_width:g}")


def _svg(width: int, height: int, title: str, body: Iterable[Markup]) -> Markup:
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {0} {1}" width="{0}" '
        'height="{1}" role="img" aria-label="{2}"><title>{2}</title>{3}</svg>'
    ).format(width, height, title, Markup("").join(body))


def _this_system_mark(cx: float, cy: float) -> Markup:
    """A five-pointed star: the sign of "this system", distinct from the rating signs."""
    points = []
    for index in range(10):
        radius = 6.0 if index % 2 == 0 else 2.6
        angle = math.pi / 2 + index * math.pi / 5
        points.append(f"{cx + radius * math.cos(angle):.1f},{cy - radius * math.sin(angle):.1f}")
    return Markup('<polygon points="{}" fill="{}"/>').format(" ".join(points), INK)


def risk_matrix_svg(likelihood: str | None, impact: str | None) -> Markup:
    """3 x 3: likelihood from probable (top) to improbable, impact from low (left) to high."""
    cell_w, cell_h, left, top = 130, 58, 110, 34
    rows = LIKELIHOODS  # probable, occasional, improbable: the most likely on top
    body = [
        _text(left + 1.5 * cell_w, 16, _("Impact if harm occurs"), 11, "middle", "bold"),
        _text(14, top + 1.5 * cell_h, _("Likelihood"), 11, "middle", "bold", rotate=-90),
    ]
    for column, impact_value in enumerate(IMPACTS):
        body.append(
            _text(
                left + column * cell_w + cell_w / 2,
                top - 4,
                str(RATING_LABELS[impact_value]),
                10,
                "middle",
                fill=MUTED,
            )
        )
    for row, likelihood_value in enumerate(rows):
        y = top + row * cell_h
        body.append(
            _text(
                left - 8, y + cell_h / 2 + 4, str(LIKELIHOOD_LABELS[likelihood_value]), 10, "end", fill=MUTED
            )
        )
        for column, impact_value in enumerate(IMPACTS):
            x = left + column * cell_w
            rating = CHARTER_MATRIX[(likelihood_value, impact_value)]
            marked = likelihood_value == likelihood and impact_value == impact
            body.append(_rect(x, y, cell_w, cell_h, RATING_FILL[rating], "#ffffff", 2))
            if marked:
                body.append(_rect(x + 3, y + 3, cell_w - 6, cell_h - 6, "none", INK, 4))
                body.append(_text(x + cell_w / 2, y + 24, str(RATING_LABELS[rating]), 12, "middle", "bold"))
                body.append(_this_system_mark(x + cell_w / 2 - 34, y + 38))
                body.append(_text(x + cell_w / 2 - 26, y + 42, _("This system"), 10, weight="bold"))
            else:
                body.append(
                    _text(
                        x + cell_w / 2,
                        y + cell_h / 2 + 4,
                        str(RATING_LABELS[rating]),
                        11,
                        "middle",
                        fill=MUTED,
                    )
                )
    # The legend: the mark is drawn, not a letter, and no rating uses it (the app's circle,
    # diamond and triangle stand for the ratings).
    legend_y = top + 3 * cell_h + 18
    body.append(_this_system_mark(left + 4, legend_y - 4))
    body.append(_text(left + 14, legend_y, _("marks the cell of this system (thick border)"), 10, fill=INK))
    height = legend_y + 8
    title = (
        _(
            "Risk matrix: this system is in the cell %(likelihood)s likelihood, %(impact)s impact",
            likelihood=str(LIKELIHOOD_LABELS[likelihood]).lower(),
            impact=str(RATING_LABELS[impact]).lower(),
        )
        if likelihood in LIKELIHOOD_LABELS and impact in RATING_LABELS
        else _("Risk matrix: this system has no rating")
    )
    return _svg(left + 3 * cell_w + 4, height, title, body)


def area_totals(breakdown: Iterable[Mapping[str, Any]], kind: str) -> list[dict[str, Any]]:
    """Points and maximum per area, in the questionnaire's order."""
    areas: dict[str, dict[str, Any]] = {}
    for row in breakdown:
        if row["kind"] != kind:
            continue
        area = areas.setdefault(row["area"], {"area": row["area"], "points": 0, "max": 0})
        area["points"] += row["points"]
        area["max"] += row["max"]
    return list(areas.values())


def area_bars_svg(heading: str, areas: list[dict[str, Any]], colour: str) -> Markup:
    """One bar per area. Every area's track has the same length: a bar shows the share of that
    area's maximum it reached, so that 5 of 5 reads as full and 14 of 20 as less."""
    width, left, bar_w = 600, 4, 470
    body: list[Markup] = [_text(left, 14, heading, 11, weight="bold")]
    y = 20.0
    for area in areas:
        y += 13
        body.append(_text(left, y, area["area"], 10))
        y += 4
        filled = bar_w * area["points"] / area["max"] if area["max"] else 0
        body.append(_rect(left, y, bar_w, 9, TRACK))
        if filled:
            body.append(_rect(left, y, filled, 9, colour))
        body.append(
            _text(
                left + bar_w + 6,
                y + 8.5,
                _("%(points)s of %(max)s", points=area["points"], max=area["max"]),
                9.5,
                fill=MUTED,
            )
        )
        y += 13
    title = (
        _("%(area)s:", area=heading)
        + " "
        + _("; ").join(
            _("%(area)s %(points)s of %(max)s", area=a["area"], points=a["points"], max=a["max"])
            for a in areas
        )
    )
    return _svg(width, int(y + 2), title, body)


def final_score_svg(scores: Mapping[str, Any]) -> Markup:
    """The final score against the bounds of the impact levels."""
    left, bar_w = 4, 470
    risk_max = max(scores["risk"]["max"], 1)
    final = scores["final_score"]
    body = [
        _text(
            left,
            14,
            _(
                "Final score %(final)s of %(max)s: impact level %(numeral)s",
                final=final,
                max=scores["risk"]["max"],
                numeral=scores["impact_level_numeral"],
            ),
            11,
            weight="bold",
        )
    ]
    y = 24
    bounds = [0, *scores.get("level_bounds_pct", [25, 50, 75]), 100]
    shades = ["#eef3e9", "#fbf1d2", "#f9dfd3", "#f2c9c3"]
    for index in range(4):
        x0 = left + bar_w * bounds[index] / 100
        x1 = left + bar_w * bounds[index + 1] / 100
        body.append(_rect(x0, y, x1 - x0, 18, shades[index], "#ffffff", 1))
        body.append(
            _text(x0 + 5, y + 13, _("Level %(numeral)s", numeral=LEVEL_NAMES[index]), 9.5, fill=MUTED)
        )
    marker = left + bar_w * min(final, risk_max) / risk_max
    body.append(_rect(marker - 1.5, y - 4, 3, 26, INK))
    y += 34
    body.append(_text(left, y, "0", 9, fill=MUTED))
    body.append(_text(left + bar_w, y, str(scores["risk"]["max"]), 9, "end", fill=MUTED))
    title = _(
        "Impact score chart: final score %(final)s of %(max)s, level %(numeral)s",
        final=final,
        max=scores["risk"]["max"],
        numeral=scores["impact_level_numeral"],
    )
    return _svg(600, y + 6, title, body)


def impact_chart_svgs(
    scores: Mapping[str, Any], risk_areas: list[dict[str, Any]], mitigation_areas: list[dict[str, Any]]
) -> list[Markup]:
    """The impact chart in parts that each keep together on a page but may fall on different
    pages: the risk bars, the mitigation bars, the final score."""
    parts = []
    if risk_areas:
        parts.append(area_bars_svg(_("Risk points by area"), risk_areas, BAR_RISK))
    if mitigation_areas:
        parts.append(area_bars_svg(_("Mitigation points by area"), mitigation_areas, BAR_MITIGATION))
    parts.append(final_score_svg(scores))
    return parts
