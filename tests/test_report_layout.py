"""The report on the page: a question kept with its answer, words broken only where they cannot
fit, sections that flow, statuses as the published copy states them, the matrix's own mark for
this system, bars on tracks of one length. Real WeasyPrint; text read back with pypdf."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from markupsafe import Markup

from aia.report.charts import area_bars_svg, risk_matrix_svg
from aia.report.samples import long_text
from aia.report.scripts import runs_of, script_runs

from . import test_report_helpers as helpers
from .test_report_helpers import build, flat

make_report_revision = helpers.make_report_revision


def page_texts(data: bytes) -> list[str]:
    return [flat(page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def rich_pages(app, db_session, make_report_revision):
    revision = make_report_revision("starter", rich=True, chars=1500)
    return revision, page_texts(build(app, db_session, revision, published=True))


def test_every_question_starts_on_the_page_of_its_answer(rich_pages, registry):
    revision, pages = rich_pages
    definition = registry.latest("starter")
    checked = 0
    for step in definition.steps:
        for question in step.questions:
            answer = revision.answers.get(question.key)
            if question.type_name != "long_text" or not isinstance(answer, str):
                continue
            opening = flat(answer)[:20]  # "Answer to “key”." opens each long answer
            label = flat(question.label)
            assert any(label in text and opening in text.split(label, 1)[1] for text in pages), label
            checked += 1
    assert checked >= 3


def test_sections_flow_without_forced_page_breaks(app, db_session, make_report_revision):
    """Only the cover has a page of its own: "All answers" and the record begin where the
    section before them ends, not on a page of their own (which left pages half empty). The
    running header comes last in a page's text."""
    revision = make_report_revision("starter", rich=False)
    pages = page_texts(build(app, db_session, revision, published=True))
    for heading in ("All answers Every question the respondent was shown", "Review and revision history"):
        (page,) = [text for text in pages[1:] if heading in text]
        assert page.split(heading, 1)[0].strip(), heading


HYPHEN = "\u2010"  # what a hyphenated line ends with


def test_ordinary_words_and_markup_like_text_are_not_split(rich_pages):
    _, pages = rich_pages
    text = " ".join(pages).replace(HYPHEN + " ", "")
    for token in ("<b>bold</b> & <script>alert(1)</script>.", "caseworker", "programme", "ombudsman"):
        assert token in text, token


def test_lines_break_between_words_or_at_a_hyphen(app, db_session, make_report_revision):
    """A line that ends without a hyphen ends a word: no two lines' ends join into a word of
    the sample text (as "pa" and "per" would)."""
    revision = make_report_revision("starter", rich=True, chars=1500)
    data = build(app, db_session, revision, published=True)
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", long_text("sample", 3000))}
    hyphenated = 0
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        for line, following in zip(lines, lines[1:], strict=False):
            hyphenated += line.endswith(HYPHEN)
            end = re.search(r"([A-Za-z]+)$", line)
            start = re.match(r"([A-Za-z]+)", following)
            if end and start:
                joined = (end.group(1) + start.group(1)).lower()
                assert joined not in words or end.group(1).lower() in words, (line, following)
    assert hyphenated  # long answers are hyphenated where a word does not fit


def test_published_copy_states_the_statuses_it_has_once_published(app, db_session, make_report_revision):
    first = make_report_revision("starter", rich=False)
    first.status = "published"
    second = make_report_revision("starter", rich=False, system=first.system)
    second.status = "approved"  # the publication renders the copy, then sets the status
    db_session.flush()
    text = flat(" ".join(page_texts(build(app, db_session, second, published=True))))
    assert "Status Published" in text
    when = r"submitted [^:]+:\d\d UTC, level I,"
    assert re.search(rf"Revision 1: {when} superseded", text)
    assert re.search(rf"Revision 2 \(this report\): {when} published", text)
    preview = flat(" ".join(page_texts(build(app, db_session, second, published=False))))
    assert re.search(rf"Revision 2 \(this report\): {when} approved", preview)
    assert re.search(rf"Revision 1: {when} published", preview)


def test_matrix_marks_this_system_with_its_own_sign_explained_in_a_legend(app):
    with app.test_request_context():
        svg = str(risk_matrix_svg("occasional", "high"))
        unrated = str(risk_matrix_svg(None, None))
    assert "◆" not in svg  # the diamond means a moderate rating everywhere else in the app
    assert svg.count("<polygon") == 2  # the star in the cell and in the legend
    assert "marks the cell of this system" in svg
    assert unrated.count("<polygon") == 1  # the legend only


def test_bars_share_one_track_length_and_show_the_share_of_the_maximum(app):
    areas = [{"area": "Small", "points": 5, "max": 5}, {"area": "Large", "points": 14, "max": 20}]
    with app.test_request_context():
        svg = str(area_bars_svg("Risk points by area", areas, "#8a3b12"))
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg)]
    track, small, track_2, large = widths
    assert track == track_2
    assert small == track  # 5 of 5 is a full bar
    assert large == pytest.approx(track * 14 / 20, abs=0.1)
    assert "Small 5 of 5; Large 14 of 20" in svg  # the text alternative


def test_right_to_left_runs_get_their_language_and_direction():
    text = "Monthly review, Arabic مراجعة شهرية, Hebrew בדיקה חודשית <b>&"
    markup = script_runs(text)
    assert isinstance(markup, Markup)
    assert '<span lang="ar" dir="rtl">مراجعة شهرية</span>' in markup
    assert '<span lang="he" dir="rtl">בדיקה חודשית</span>' in markup
    assert "&lt;b&gt;&amp;" in markup and "<b>" not in markup
    assert script_runs('<span lang="ar">') == "&lt;span lang=&#34;ar&#34;&gt;"
    assert runs_of(text) == [
        ("Monthly review, Arabic ", None),
        ("مراجعة شهرية", "ar"),
        (", Hebrew ", None),
        ("בדיקה חודשית", "he"),
        (" <b>&", None),
    ]
