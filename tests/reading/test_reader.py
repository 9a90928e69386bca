"""A reader opens the app, picks a passage, and reads the article's own text."""

from __future__ import annotations

import re

SEED_TITLES = [
    "Is Israel’s offensive succeeding or failing?",
    "Israel’s truce with Hamas is drawing to a close",
    "What Hamas wants, and a negotiated two-state path (untitled in the source)",
    "I Might Have Once Favored a Cease-Fire with Hamas, but Not Now",
    "Hezbollah, deterrence and the risk of a regional war (untitled in the source)",
]


def page_text(response) -> str:
    return response.get_data(as_text=True)


def test_home_page_lists_all_five_passages_with_their_metadata(published, client):
    response = client.get("/")
    assert response.status_code == 200
    html = page_text(response)
    for title in SEED_TITLES:
        assert title.replace("’", "&#8217;") in html or title in html
    assert "NBC News" in html
    assert "Dennis Ross" not in html  # authors are on the passage page, not the list
    assert "Outlet not stated in the source" in html
    assert "min read" in html


def test_passage_page_shows_numbered_paragraphs_and_a_source_panel(published, client):
    html = page_text(client.get("/passages/ross-no-ceasefire"))
    assert "Dennis Ross" in html
    assert "27 October 2023" in html
    assert 'id="ross-no-ceasefire-p18"' in html
    assert 'id="ross-no-ceasefire-p19"' not in html
    assert "There are no easy solutions to Gaza" in html


def test_missing_metadata_is_said_plainly(published, client):
    html = page_text(client.get("/passages/hezbollah-regional-war"))
    assert html.count("not stated in the source") >= 2  # outlet and author
    assert "A Cease-Fire Deal Now Would Be a Victory" in html  # named only in the note
    body = html.split('class="passage-text"')[1]
    assert "A Cease-Fire Deal Now Would Be a Victory" not in body


def test_pull_quotes_are_styled_as_pull_quotes_not_paragraphs(published, client):
    html = page_text(client.get("/passages/nation-hamas-aims"))
    assert html.count('class="pull-quote"') == 3
    paragraphs = re.findall(r'<p class="para".*?</p>', html, flags=re.S)
    assert not any(re.search(r">\s*In one form or another, Hamas is here to stay\.", p) for p in paragraphs)


def test_no_boilerplate_reaches_the_page(published, client):
    for passage_id, junk in [
        ("nbc-offensive", ["IE 11 is not supported", "Getty Images", "Image: Funeral"]),
        ("economist-truce", ["![image]", "images/20231202_MAP005.jpg", "######"]),
        ("ross-no-ceasefire", ["RECOMMENDED", "https://", "ABOUT THE AUTHORS", "**", "Also available in"]),
        ("hezbollah-regional-war", ["Take Yes for an Answer</"]),
    ]:
        html = page_text(client.get(f"/passages/{passage_id}"))
        body = html.split('class="passage-text"')[1].split("</article>")[0]
        for text in junk:
            assert text not in body, f"{text!r} appears in {passage_id}"


def test_two_passages_side_by_side(published, client):
    response = client.get("/compare?left=nbc-offensive&right=economist-truce")
    assert response.status_code == 200
    html = page_text(response)
    assert 'id="text-nbc-offensive"' in html and 'id="text-economist-truce"' in html


def test_unknown_passages_answer_404_with_a_helpful_page(published, client):
    response = client.get("/passages/no-such-passage")
    assert response.status_code == 404
    assert "Page not found" in page_text(response)
    assert client.get("/compare?left=nbc-offensive&right=nope").status_code == 404
    assert client.get("/compare?left=nbc-offensive&right=nbc-offensive").status_code == 404


def test_every_page_carries_the_security_headers(published, client):
    for url in ["/", "/passages/nbc-offensive", "/compare?left=nbc-offensive&right=ross-no-ceasefire", "/missing"]:
        headers = client.get(url).headers
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
