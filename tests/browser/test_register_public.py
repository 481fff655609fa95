"""The public register as a citizen and a researcher use it, in Chromium on the demo data:
what the first screen shows, an entry's details, a search that finds only a withdrawn entry,
downloads that follow the filters, a message sent once with its reference, a withdrawn
entry's report, and the method page. axe runs on each page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .pages import check_axe

WITHDRAWN = "School transport eligibility"


def test_the_first_screen_shows_realistic_entries_and_the_test_entry_last(open_page):
    page = open_page("/register/", as_role=None)
    names = page.locator("ol.entries h2").all_inner_texts()
    assert len(names) >= 11, names
    assert not any("<script>" in n for n in names)
    test_entry = [i for i, n in enumerate(names) if n.startswith("Test entry: unusual text")]
    assert test_entry == [len(names) - 1], names  # named so, and after every real one
    first_cards = page.locator("ol.entries li").first.inner_text()
    assert "<script>" not in first_cards and "alert(" not in first_cards
    # Five agencies, and the filter offers those with current entries.
    options = page.locator("#agency option").all_inner_texts()[1:]
    assert len(options) == 5, options
    check_axe(page, "the register's first screen")


def test_an_entry_shows_its_stage_legal_basis_commitments_and_a_contact_link(open_page):
    page = open_page("/register/?q=social+housing+allocation+score", as_role=None)
    page.get_by_role("link", name="Social housing allocation score").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Social housing allocation score")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Stage")
    expect(facts).to_contain_text("In everyday use")
    expect(facts).to_contain_text("Housing Act, part 6")
    expect(facts).to_contain_text("Built by")
    table = page.get_by_role("table").filter(has=page.get_by_role("columnheader", name="Commitment"))
    expect(table.get_by_role("rowheader")).to_have_count(6)
    expect(table).to_contain_text("Two panel members review every offer.")  # the second revision's
    contact = page.get_by_role("link", name="https://housing.example/allocation/contact")
    expect(contact).to_have_attribute("href", "https://housing.example/allocation/contact")
    expect(page.get_by_role("link", name="ATRS record (JSON)")).to_be_visible()
    check_axe(page, "an entry with its details and commitments")


def test_a_search_finding_only_a_withdrawn_entry_says_so_and_leads_to_it(open_page):
    page = open_page("/register/", as_role=None)
    page.get_by_label("Search names, agencies and descriptions").fill("school transport")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_have_text("0 entries found")
    notice = page.locator("#withdrawn-matches")
    expect(notice).to_contain_text("1 withdrawn entry matches this search.")
    check_axe(page, "a search that finds only a withdrawn entry")
    notice.get_by_role("link", name="Show the withdrawn entry").click()
    page.get_by_role("link", name=WITHDRAWN).click()
    expect(page.locator("#withdrawn-report")).to_contain_text("it still reads “Published”")
    link = page.get_by_role("link", name=re.compile(r"Download the report \(PDF, withdrawn\)"))
    expect(link.first).to_be_visible()
    check_axe(page, "a withdrawn entry")


def test_the_csv_download_follows_the_filters(open_page, tmp_path):
    page = open_page("/register/", as_role=None)
    page.get_by_label("Agency").select_option(label="Revenue Office")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^[1-9]\d* entr"))
    shown = page.locator("ol.entries h2").all_inner_texts()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV (opens in a spreadsheet)").click()
    saved = tmp_path / "register.csv"
    download.value.save_as(saved)
    body = saved.read_bytes()
    assert body.startswith(b"\xef\xbb\xbf") and b"\r\n" in body
    text = body.decode("utf-8-sig")
    rows = text.strip("\r\n").split("\r\n")[1:]
    assert len(rows) == len(shown)
    assert all("Revenue Office" in row for row in rows)
    assert all(name in text for name in shown)


def test_a_message_is_confirmed_in_view_with_a_reference_and_sent_once(open_page):
    page = open_page("/register/?q=vaccination", as_role=None)
    page.get_by_role("link", name="Vaccination reminder targeting").click()
    page.get_by_label("A question about this system").check()
    page.get_by_label("Your message").fill("How do I stop the reminders? 🙏")
    page.get_by_role("button", name="Send").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Your message was sent")
    expect(heading).to_be_in_viewport()
    reference = page.locator("#reference").inner_text()
    assert re.fullmatch(r"MSG-[2-9A-Z]{4}-[2-9A-Z]{4}", reference)
    check_axe(page, "the confirmation of a message")
    confirmation = page.url
    # Back to the form and send again: the same message, the same reference.
    page.go_back()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your message was sent")
    assert page.url == confirmation and page.locator("#reference").inner_text() == reference
    # A reload of the confirmation sends nothing either.
    page.reload()
    expect(page.locator("#reference")).to_have_text(reference)
    page.get_by_role("link", name="Back to the entry").click()
    expect(page.locator("#feedback + p")).to_contain_text("1 message received")


def test_the_method_page_speaks_plainly(open_page):
    page = open_page("/register/method", as_role=None)
    text = page.locator("main").inner_text()
    for jargon in ("aia/", ".yaml", "show_if", "triage_", "mit_"):
        assert jargon not in text
    expect(page.get_by_role("heading", name="The points of each question")).to_be_visible()
    check_axe(page, "the method page")
