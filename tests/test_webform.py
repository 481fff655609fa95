"""The tests' form reader sends what a browser would send for a page left untouched."""

from __future__ import annotations

import pytest

from .webform import assert_shown_escaped, form_values, submit_data

PAGE = """
<form method="post">
  <input type="hidden" name="csrf_token" value="tok&amp;en">
  <input name="untyped" value="plain">
  <input type="TEXT" name="shouted" value="kept">
  <input type="text" name="off" value="never sent" disabled>
  <input type="submit" name="go" value="Go">
  <button type="submit" name="action" value="next">Next</button>

  <input type="radio" name="colour" value="red" checked>
  <input type="radio" name="colour" value="blue" checked>
  <input type="radio" name="size" value="s"><input type="radio" name="size" value="m">

  <input type="checkbox" name="kinds" value="a" checked>
  <input type="checkbox" name="kinds" value="b">
  <input type="checkbox" name="kinds" value="c" checked>
  <input type="checkbox" name="agree" checked>
  <input type="checkbox" name="unticked" value="x">

  <select name="chosen"><option value="1">One<option value="2" selected>Two</select>
  <select name="first"><option value="" disabled>Pick one</option>
    <option value="x">X</option><option value="y">Y</option></select>
  <select name="by_text"><option>  Text   value </option></select>
  <select name="many" multiple><option value="p" selected>P</option><option value="q">Q</option>
    <option value="r" selected>R</option></select>
  <select name="none_picked" multiple><option value="p">P</option></select>
  <select name="dead" disabled><option value="z">Z</option></select>

  <textarea name="story">
Line one &lt;b&gt; &amp; more
line two</textarea>
  <textarea name="empty"></textarea>
</form>
"""


def test_reader_sends_what_a_browser_sends():
    values = form_values(PAGE)
    assert values == {
        "csrf_token": ["tok&en"],
        "untyped": ["plain"],
        "shouted": ["kept"],
        "colour": ["blue"],  # one radio per group: the last one checked
        "size": [],
        "kinds": ["a", "c"],
        "agree": ["on"],
        "unticked": [],
        "chosen": ["2"],
        "first": ["x"],  # nothing selected: the first option that is not disabled
        "by_text": ["Text value"],
        "many": ["p", "r"],
        "none_picked": [],
        "story": ["Line one <b> & more\nline two"],  # the first line break is not content
        "empty": [""],
    }


def test_submit_data_applies_changes_and_leaves_out_what_sends_nothing():
    data = submit_data(PAGE, {"colour": "red", "story": None, "extra": "1"}, action="back")
    assert data["colour"] == "red" and data["kinds"] == ["a", "c"] and data["extra"] == "1"
    assert "story" not in data and "size" not in data and "unticked" not in data
    assert data["action"] == "back" and data["chosen"] == "2"


def test_escaped_text_is_told_apart_from_raw_text():
    typed = """<img src=x onerror="alert('1')"> & co"""
    assert_shown_escaped(
        "<p>&lt;img src=x onerror=&#34;alert(&#39;1&#39;)&#34;&gt; &amp; co</p>", typed, "page"
    )
    with pytest.raises(AssertionError, match="unescaped"):
        assert_shown_escaped(
            f"<p>&lt;img src=x onerror=&#34;alert(&#39;1&#39;)&#34;&gt; &amp; co</p>{typed}", typed, "page"
        )
    with pytest.raises(AssertionError, match="not shown"):
        assert_shown_escaped("<p>&lt;img src=x&gt;</p>", typed, "page")
