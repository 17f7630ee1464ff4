"""arXiv and Crossref lookups against real HTTP servers on 127.0.0.1 that speak the documented formats."""

from __future__ import annotations

import pytest

from generator.core.paper_ids import NotAPaperId, PaperRef, parse_paper_ref
from generator.sources.metadata import BadResponse, MetadataClient, UnknownPapers, Unreachable


def arxiv(value: str) -> PaperRef:
    return PaperRef("arxiv", value)


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        pytest.param("2404.07129", arxiv("2404.07129"), id="id"),
        pytest.param("2404.07129v2", arxiv("2404.07129v2"), id="versioned"),
        pytest.param("hep-th/9711200", arxiv("hep-th/9711200"), id="old-style"),
        pytest.param("arXiv:2404.07129", arxiv("2404.07129"), id="prefixed"),
        pytest.param("https://arxiv.org/abs/2404.07129v1", arxiv("2404.07129v1"), id="abs-url"),
        pytest.param("https://arxiv.org/pdf/2404.07129.pdf", arxiv("2404.07129"), id="pdf-url"),
        pytest.param("arxiv.org/pdf/2404.07129v2", arxiv("2404.07129v2"), id="pdf-no-scheme"),
        pytest.param("https://arxiv.org/html/2404.07129v1/", arxiv("2404.07129v1"), id="html-url"),
        pytest.param("https://arxiv.org/abs/hep-th/9711200", arxiv("hep-th/9711200"), id="old-style-url"),
        pytest.param("https://huggingface.co/papers/2404.07129", arxiv("2404.07129"), id="hugging-face"),
        pytest.param("https://www.alphaxiv.org/abs/2404.07129", arxiv("2404.07129"), id="alphaxiv"),
        pytest.param("https://www.alphaxiv.org/overview/2404.07129v2", arxiv("2404.07129v2"), id="alphaxiv-overview"),
        pytest.param("10.5555/3600270.3601532", PaperRef("doi", "10.5555/3600270.3601532"), id="doi"),
        pytest.param("doi:10.1038/nature14539", PaperRef("doi", "10.1038/nature14539"), id="doi-prefixed"),
        pytest.param("https://doi.org/10.1038/nature14539", PaperRef("doi", "10.1038/nature14539"), id="doi-url"),
    ],
)
def test_paper_refs_from_what_authors_paste(text: str, ref: PaperRef) -> None:
    assert parse_paper_ref(text) == ref


@pytest.mark.parametrize("text", ["2406.1171", "https://example.org/abs/2404.07129", "Refusal", "10.12/x"])
def test_not_a_paper_says_what_is_accepted(text: str) -> None:
    with pytest.raises(NotAPaperId, match="is not an arXiv id .* or a doi.org URL"):
        parse_paper_ref(text)


def test_all_ids_in_one_request_with_full_metadata(apis) -> None:
    client = MetadataClient()
    refs = [arxiv("2404.07129"), arxiv("2401.00001"), arxiv("hep-th/9711200v1")]
    found = client.fetch(refs)
    arxiv_requests = [path for path, _ in apis.requests if path.startswith("/api/query")]
    assert len(arxiv_requests) == 1 and "id_list=2404.07129%2C2401.00001%2Chep-th%2F9711200v1" in arxiv_requests[0]
    singh = found[refs[0]]
    assert singh.title.startswith("What needs to go right") and "\n" not in singh.title and "  " not in singh.title
    assert singh.authors == (
        "Aaditya K. Singh",
        "Ted Moskovitz",
        "Felix Hill",
        "Stephanie C. Y. Chan",
        "Andrew M. Saxe",
    )
    assert (singh.year, singh.venue, singh.code, singh.latest_version) == (
        2024,
        "ICML 2024",
        "https://github.com/aadityasingh/icl-dynamics",
        2,
    )
    unicode = found[refs[1]]
    assert unicode.title == "Gödel, α-heads and line breaks"
    assert unicode.authors == (
        "Gonçalo Paulo",
        "Łukasz Kaiser",
        "李华",
        "Jörg Müller",
        "Zoë Ó Briain",
        "Ana María Pérez",
    )
    assert (unicode.year, unicode.venue) == (2023, "NeurIPS 2024")
    old = found[refs[2]]
    assert (old.year, old.doi, old.venue, old.latest_version) == (
        1997,
        "10.1023/A:1026654312961",
        "Adv.Theor.Math.Phys.2:231-252,1998",
        3,
    )
    user_agent = apis.requests[0][1]["User-Agent"]
    assert user_agent.startswith("daily-picks/") and "github.com/daily-picks" in user_agent


def test_a_cited_version_gives_that_versions_year(apis) -> None:
    [meta] = MetadataClient().fetch([arxiv("2402.00002v2")]).values()
    assert meta.withdrawn and meta.year == 2024 and meta.latest_version == 2


def test_unknown_and_malformed_ids_are_unknown(apis) -> None:
    with pytest.raises(UnknownPapers) as caught:
        MetadataClient().fetch([arxiv("2404.07129"), arxiv("2499.99999"), arxiv("1234.1234v9")])
    assert caught.value.refs == [arxiv("2499.99999"), arxiv("1234.1234v9")]


def test_crossref_by_doi(apis) -> None:
    ref = PaperRef("doi", "10.5555/3600270.3601532")
    meta = MetadataClient().fetch([ref])[ref]
    assert meta.title == "Locating and Editing Factual Associations in GPT"
    assert (meta.authors, meta.year, meta.venue) == (
        ("Kevin Meng", "David Bau"),
        2022,
        "Advances in Neural Information Processing Systems",
    )
    with pytest.raises(UnknownPapers):
        MetadataClient().fetch([PaperRef("doi", "10.9999/nothing")])


@pytest.mark.parametrize("ref", [arxiv("2404.07129"), PaperRef("doi", "10.5555/3600270.3601532")])
def test_malformed_answers_are_one_clear_error(apis, ref: PaperRef) -> None:
    apis.mode = "malformed"
    with pytest.raises(BadResponse, match="(not an Atom feed|unexpected answer)"):
        MetadataClient().fetch([ref])


def test_503_with_retry_after_is_honoured_once(apis) -> None:
    apis.mode = "busy-once"
    waits: list[float] = []
    found = MetadataClient(sleep=waits.append).fetch([arxiv("2404.07129")])
    assert waits == [1.0] and len(apis.requests) == 2 and found


def test_still_busy_after_one_retry_is_unreachable(apis) -> None:
    apis.mode = "busy"
    with pytest.raises(Unreachable, match="HTTP 503"):
        MetadataClient(sleep=lambda seconds: None).fetch([arxiv("2404.07129")])
    assert len(apis.requests) == 2


def test_a_retry_after_beyond_the_budget_is_not_waited_for(apis) -> None:
    apis.mode = "rate-text"
    waits: list[float] = []
    with pytest.raises(Unreachable, match="HTTP 429"):
        MetadataClient(sleep=waits.append).fetch([arxiv("2404.07129")])
    assert waits == [] and len(apis.requests) == 1


def test_time_out_is_unreachable(apis, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("generator.sources.metadata.BUDGET", 0.3)  # the stand-in stalls 3 s
    apis.mode = "slow"
    with pytest.raises(Unreachable, match="ReadTimeout"):
        MetadataClient().fetch([arxiv("2404.07129")])


def test_no_request_once_the_budget_is_spent(apis) -> None:
    readings = iter([0.0, 50.0])  # the deadline set at 0 s; the next reading is past it
    with pytest.raises(Unreachable, match=r"/api/query: no answer within 10 s$"):
        MetadataClient(clock=lambda: next(readings)).fetch([arxiv("2404.07129")])
    assert apis.requests == []


def test_nothing_listening_is_unreachable() -> None:
    with pytest.raises(Unreachable, match="ConnectionError"):
        MetadataClient().fetch([arxiv("2404.07129")])


def test_batches_keep_three_seconds_apart(apis, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("generator.sources.metadata.ARXIV_BATCH", 1)
    waits: list[float] = []
    MetadataClient(sleep=waits.append).fetch([arxiv("2404.07129"), arxiv("2401.00001"), arxiv("hep-th/9711200")])
    assert len(apis.requests) == 3 and len(waits) == 2 and all(2.5 < w <= 3.0 for w in waits)


def test_unknown_papers_are_all_named(apis) -> None:
    with pytest.raises(UnknownPapers, match=r"^unknown to arxiv 2499\.99999, doi 10\.9999/nothing$"):
        MetadataClient().fetch([arxiv("2499.99999"), PaperRef("doi", "10.9999/nothing")])


def test_a_crossref_work_as_the_api_may_give_it(apis) -> None:
    """Crossref's work schema: an organisation author has only ``name``; ``author`` may be missing; the year is
    read from published-print, then published-online, issued and created, the first one that has it."""
    work = {"title": ["A report"], "author": [{"name": "OpenAI"}, {"given": "Ada", "family": "Lovelace"}]}
    years = {"published-print": 2023, "published-online": 2022, "issued": 2021, "created": 2020}
    keys = list(years)
    for start, key in enumerate(keys):  # each date key present along with the ones after it, not before
        ref = PaperRef("doi", f"10.5555/report.{key}")
        apis.crossref[ref.value] = work | {k: {"date-parts": [[years[k], 5]]} for k in keys[start:]}
        meta = MetadataClient().fetch([ref])[ref]
        assert (meta.year, meta.authors, meta.doi) == (years[key], ("OpenAI", "Ada Lovelace"), ref.value)
    anonymous = PaperRef("doi", "10.5555/anonymous")
    apis.crossref[anonymous.value] = {"title": ["Nobody"], "created": {"date-parts": [[2019]]}}
    assert MetadataClient().fetch([anonymous])[anonymous].authors == ()


def test_crossref_without_a_year_or_failing_says_what(apis) -> None:
    apis.crossref["10.5555/undated"] = {"title": ["Undated"], "issued": {"date-parts": [[None]]}}
    with pytest.raises(
        BadResponse, match=r"^Crossref API: unexpected answer for 10\.5555/undated \(KeyError: 'issued'\)$"
    ):
        MetadataClient().fetch([PaperRef("doi", "10.5555/undated")])
    apis.mode = "broken"
    with pytest.raises(BadResponse, match=r"^Crossref API: HTTP 500 for 10\.5555/3600270\.3601532$"):
        MetadataClient().fetch([PaperRef("doi", "10.5555/3600270.3601532")])


def test_a_retry_after_date_is_a_wait_never_below_zero() -> None:
    """RFC 9110: Retry-After is seconds or an HTTP date; a date already past means 'now'."""
    from datetime import UTC, datetime, timedelta
    from email.utils import format_datetime

    from generator.sources.metadata import _retry_after

    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= _retry_after(soon) <= 30
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert (_retry_after("7"), _retry_after(None), _retry_after("soon")) == (7.0, None, None)


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ('G\\"odel', "Gödel"),  # a backslash alone
        ("Bounds on $x$", "Bounds on x"),  # dollars alone
        ("{GPT}-2", "GPT-2"),  # braces alone
        ("50% of heads & more", "50% of heads & more"),  # none of them: LaTeX would read % as a comment
        ("a  b\n c", "a b c"),
    ],
)
def test_titles_from_the_apis_as_plain_text(written: str, plain: str) -> None:
    from generator.sources.metadata import plain_text

    assert plain_text(written) == plain


ATOM = '<feed xmlns="http://www.w3.org/2005/Atom">{}</feed>'


def _atom_entry(entry_id: str | None, title: str | None = "A title", dated: bool = True) -> str:
    parts = [f"<id>{entry_id}</id>" if entry_id is not None else "", f"<title>{title}</title>" if title else ""]
    parts.append("<published>2024-04-10T00:00:00Z</published><updated>2024-06-01T00:00:00Z</updated>" if dated else "")
    return f"<entry>{''.join(parts)}<author><name>Ada Lovelace</name></author></entry>"


def test_the_atom_reader_skips_error_and_incomplete_entries_and_reads_on() -> None:
    """arXiv reports a bad id as an entry whose id is under /api/errors; an entry without id or title is no answer."""
    from generator.sources.metadata import _atom_entries

    feed = ATOM.format(
        _atom_entry("http://arxiv.org/api/errors#incorrect_id_format_for_2404.1", "Error")
        + _atom_entry(None)
        + _atom_entry("http://arxiv.org/abs/2404.00002v1", None)
        + _atom_entry("http://arxiv.org/abs/2404.07129v1")
    )
    assert sorted(_atom_entries(feed.encode())) == ["2404.07129", "2404.07129v1"]


def test_the_atom_reader_expands_no_entity_and_refuses_huge_text() -> None:
    """An answer is untrusted input: no entity is expanded (lxml expands internal ones by default), and lxml's
    10 MB limit on a text node stays on."""
    from generator.sources.metadata import _atom_entries

    doctype = '<!DOCTYPE feed [<!ENTITY boom "EXPANDED">]>'
    feed = doctype + ATOM.format(_atom_entry("http://arxiv.org/abs/2404.07129v1", "A &boom; title"))
    assert "EXPANDED" not in _atom_entries(feed.encode())["2404.07129"]["title"]
    huge = ATOM.format(_atom_entry("http://arxiv.org/abs/2404.07129v1", "x" * 10_000_001))
    with pytest.raises(BadResponse, match="not an Atom feed"):
        _atom_entries(huge.encode())
    with pytest.raises(BadResponse, match=r"^arXiv API: not an Atom feed \(root element html\)$"):
        _atom_entries(b"<html><body>Service unavailable</body></html>")


def test_venue_and_code_from_what_arxiv_says(apis) -> None:
    from fake_apis import ArxivPaper

    apis.arxiv["2405.00001"] = ArxivPaper(
        "2405.00001",
        "T",
        ["Ada Lovelace"],
        {1: "2024-05-01"},
        comment="Accepted at NIPS 2017",
        summary="Code at https://github.com/ada/engineX.",
    )
    apis.arxiv["2405.00002"] = ArxivPaper(
        "2405.00002", "T", ["Ada Lovelace"], {1: "2024-05-01"}, journal_ref="Phys.  Rev. D\n 99, 1 (2019)"
    )
    found = MetadataClient().fetch([arxiv("2405.00001"), arxiv("2405.00002")])
    assert (found[arxiv("2405.00001")].venue, found[arxiv("2405.00001")].code) == (
        "NeurIPS 2017",
        "https://github.com/ada/engineX",
    )
    assert found[arxiv("2405.00002")].venue == "Phys. Rev. D 99, 1 (2019)"


def test_the_base_id_stands_for_the_newest_version_in_any_order() -> None:
    from generator.sources.metadata import _atom_entries

    for versions in ([2, 1], [1, 2], [1, 3, 2]):
        feed = ATOM.format("".join(_atom_entry(f"http://arxiv.org/abs/2404.07129v{v}", f"v{v}") for v in versions))
        entries = _atom_entries(feed.encode())
        assert entries["2404.07129"]["title"] == f"v{max(versions)}"
        assert all(entries[f"2404.07129v{v}"]["title"] == f"v{v}" for v in versions)


def test_an_entry_without_dates_is_a_bad_answer_not_a_crash() -> None:
    from generator.sources.metadata import _atom_entries, _from_arxiv

    feed = ATOM.format(_atom_entry("http://arxiv.org/abs/2404.07129v1", dated=False))
    entries = _atom_entries(feed.encode())
    for asked in ("2404.07129", "2404.07129v1"):
        with pytest.raises(BadResponse, match=f"^arXiv API: no date for {asked}$"):
            _from_arxiv(arxiv(asked), entries[asked], entries["2404.07129"])


def test_a_batch_of_more_than_ten_ids_gets_every_answer(apis) -> None:
    """The arXiv API answers 10 entries unless asked for more (max_results; the API user manual)."""
    from fake_apis import ArxivPaper

    refs = [arxiv(f"2405.{n:05d}") for n in range(1, 13)]
    for ref in refs:
        apis.arxiv[ref.value] = ArxivPaper(ref.value, f"Paper {ref.value}", ["Ada Lovelace"], {1: "2024-05-01"})
    assert sorted(r.value for r in MetadataClient().fetch(refs)) == sorted(r.value for r in refs)


def test_a_version_arxiv_does_not_have_is_unknown(apis) -> None:
    found, unknown = MetadataClient().fetch_known([arxiv("2404.07129v9"), arxiv("2404.07129v2")])
    assert unknown == [arxiv("2404.07129v9")] and found[arxiv("2404.07129v2")].latest_version == 2


def test_batches_wait_only_what_is_left_of_three_seconds(apis, monkeypatch: pytest.MonkeyPatch) -> None:
    import itertools

    monkeypatch.setattr("generator.sources.metadata.ARXIV_BATCH", 1)
    monkeypatch.setattr("generator.sources.metadata.BUDGET", 100.0)
    waits: list[float] = []
    ticks = itertools.count(0.0, 2.5)  # every reading of the clock is 2.5 s after the one before
    MetadataClient(sleep=waits.append, clock=lambda: next(ticks)).fetch([arxiv("2404.07129"), arxiv("2401.00001")])
    assert waits == [0.5]


def test_an_arxiv_error_and_a_trailing_slash(apis, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PICKS_CROSSREF_API", apis.crossref_api + "/")
    ref = PaperRef("doi", "10.5555/3600270.3601532")
    assert MetadataClient().fetch([ref])[ref].year == 2022
    apis.mode = "broken"
    with pytest.raises(BadResponse, match=r"^arXiv API: HTTP 500$"):
        MetadataClient().fetch([arxiv("2404.07129")])


def test_a_cited_version_is_dated_by_that_version_and_the_paper_by_its_first(apis) -> None:
    """A paper first posted in December and revised in January: the id alone is the paper (its first year);
    a version cited is that version (its year)."""
    from fake_apis import ArxivPaper

    apis.arxiv["2312.00009"] = ArxivPaper("2312.00009", "T", ["Ada Lovelace"], {1: "2023-12-20", 2: "2024-01-15"})
    found = MetadataClient().fetch([arxiv("2312.00009"), arxiv("2312.00009v2"), arxiv("2312.00009v1")])
    assert [found[arxiv(v)].year for v in ("2312.00009", "2312.00009v2", "2312.00009v1")] == [2023, 2024, 2023]


def test_an_entry_without_authors_is_a_bad_answer() -> None:
    from generator.sources.metadata import _atom_entries, _from_arxiv

    feed = ATOM.format(
        "<entry><id>http://arxiv.org/abs/2404.07129v1</id><title>T</title>"
        "<published>2024-04-10T00:00:00Z</published></entry>"
    )
    entries = _atom_entries(feed.encode())
    with pytest.raises(BadResponse, match=r"^arXiv API: no authors for 2404.07129$"):
        _from_arxiv(arxiv("2404.07129"), entries["2404.07129"], entries["2404.07129"])
