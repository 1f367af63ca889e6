"""Exports of filtered observations: CSV, XLSX and GeoJSON read back, CRSs, masking, audit, CLI."""

import csv
import io
import json
import uuid
from datetime import UTC, datetime

import openpyxl
import pytest

from est_pwa.audit.models import AuditEvent
from est_pwa.clock import now_utc, to_local
from est_pwa.extensions import db

from conftest import KUMLA

# WGS84 lat 59.1277, lon 15.1434 (Kumla). Worked out once with pyproj and checked against
# Lantmäteriet's Gauss-Krüger formulas; hard-coded so the tests check our code, not pyproj.
KUMLA_3006 = (508_208.1, 6_554_280.4)
KUMLA_3009 = (158_211.4, 6_556_903.2)
OCCURRED = datetime(2026, 11, 27, 13, 5, tzinfo=UTC)  # 14:05 in Stockholm
BOM = b"\xef\xbb\xbf"
PHONE_TEXT = "Klotter på muren, ring 070-123 45 67"
MASKED_TEXT = "Klotter på muren, ring [telefon]"


@pytest.fixture
def klotter(create_category):
    """Return the sub-category Klotter under Skadegörelse."""
    main = create_category("SKADEGORELSE", name_sv="Skadegörelse", name_en="Vandalism")
    return create_category(
        "SKADEGORELSE_KLOTTER", parent=main, name_sv="Klotter", name_en="Graffiti"
    )


@pytest.fixture
def observation(create_observation, create_organisation, klotter):
    """Return an observation with personal data in its free text and a contact e-mail."""
    return create_observation(
        category=klotter,
        occurred_at=OCCURRED,
        description=PHONE_TEXT,
        place_text="Vid Kumla torg",
        place_type="gata_torg",
        persons_count=3,
        age_group="unga",
        assessment=2,
        police_reported=True,
        contact_email="anna@example.se",
        source="housing_company",
        organisation=create_organisation("Kumla Bostäder", "housing_company"),
    )


def download(client, **args):
    """Return the answer to GET /export with ``args`` as the query string."""
    return client.get("/export", query_string=args)


def csv_rows(response, delimiter: str = ";") -> list[dict]:
    """Return the CSV download's rows as dicts keyed by header."""
    text = response.get_data().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def workbook_rows(response) -> tuple[list, list[list]]:
    """Return the XLSX download's header and rows."""
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    header, *rows = sheet.iter_rows(values_only=True)
    return list(header), [list(row) for row in rows]


def exports() -> list[AuditEvent]:
    return db.session.scalars(db.select(AuditEvent).filter_by(action="observation.export")).all()


def today() -> str:
    return to_local(now_utc()).date().isoformat()


# The formats, read back


def test_semicolon_csv_opens_in_swedish_excel(client, login_as, observation):
    login_as("coordinator")
    response = download(client, format="csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=est-observationer-{today()}.csv"
    )
    assert response.headers["Cache-Control"] == "private, no-store"
    body = response.get_data()
    assert body.startswith(BOM)
    assert body.count(b"\r\n") == 2  # the header and one row, Excel's line ends
    [row] = csv_rows(response)
    assert row["Id"] == str(observation.id)
    assert row["Inträffade"] == "2026-11-27 14:05:00"
    assert (row["Huvudkategori (kod)"], row["Huvudkategori"]) == ("SKADEGORELSE", "Skadegörelse")
    assert (row["Underkategori (kod)"], row["Underkategori"]) == ("SKADEGORELSE_KLOTTER", "Klotter")
    assert (row["Status"], row["Typ av plats"], row["Åldersgrupp"]) == (
        "Ny",
        "Gata eller torg",
        "Unga",
    )
    assert (row["Anmält till polisen"], row["Antal personer"], row["Antal bilder"]) == (
        "Ja",
        "3",
        "0",
    )
    assert (row["Organisation"], row["Källa"]) == ("Kumla Bostäder", "Bostadsbolag")
    assert (row["lat"], row["lon"]) == ("59,1277", "15,1434")


def test_comma_csv_is_plain_utf8_for_programs(client, login_as, observation):
    login_as("coordinator")
    response = download(client, format="csv_comma")
    assert not response.get_data().startswith(BOM)
    [row] = csv_rows(response, delimiter=",")
    assert row["Inträffade"] == "2026-11-27T14:05:00+01:00"
    assert (row["lat"], row["lon"]) == ("59.1277", "15.1434")
    assert row["Beskrivning"] == PHONE_TEXT


def test_xlsx_has_a_frozen_header_and_real_datetimes(client, login_as, observation):
    login_as("coordinator")
    response = download(client, format="xlsx")
    assert response.headers["Content-Disposition"].endswith(f"est-observationer-{today()}.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["L"].width == 60  # the description
    header, [row] = workbook_rows(response)
    values = dict(zip(header, row, strict=True))
    assert values["Inträffade"] == datetime(2026, 11, 27, 14, 5)
    assert values["Antal personer"] == 3
    assert (values["lat"], values["lon"]) == (59.1277, 15.1434)
    assert values["Underkategori"] == "Klotter"


def test_geojson_in_wgs84_is_lon_lat_without_a_crs_member(client, login_as, observation):
    login_as("coordinator")
    response = download(client, format="geojson")
    assert response.mimetype == "application/geo+json"
    collection = json.loads(response.get_data())
    assert collection["type"] == "FeatureCollection"
    assert "crs" not in collection
    [feature] = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [15.1434, 59.1277]}
    properties = feature["properties"]
    assert properties["id"] == str(observation.id)
    assert properties["occurred"] == "2026-11-27T14:05:00+01:00"
    assert (properties["subcategory_code"], properties["police_reported"]) == (
        "SKADEGORELSE_KLOTTER",
        True,
    )


def test_headers_follow_the_interface_language(client, login_as, observation):
    login_as("coordinator")
    client.set_cookie("est_lang", "en")
    [row] = csv_rows(download(client, format="csv"))
    assert (row["Occurred"], row["Sub-category"], row["Status"]) == (
        "2026-11-27 14:05:00",
        "Graffiti",
        "New",
    )


def test_an_empty_selection_gives_the_header_only(client, login_as):
    login_as("coordinator")
    assert csv_rows(download(client, format="csv")) == []
    assert json.loads(download(client, format="geojson").get_data())["features"] == []


# Coordinate systems


@pytest.mark.parametrize(
    ("crs", "expected"), [("EPSG:3006", KUMLA_3006), ("EPSG:3009", KUMLA_3009)]
)
def test_csv_in_sweref_gives_easting_and_northing(
    client, login_as, create_observation, crs, expected
):
    create_observation(lat=KUMLA[0], lon=KUMLA[1])
    login_as("police")
    response = download(client, format="csv_comma", crs=crs)
    code = crs.split(":")[1]
    assert response.headers["Content-Disposition"].endswith(f"-epsg{code}.csv")
    [row] = csv_rows(response, delimiter=",")
    assert "lat" not in row
    assert float(row["E"]) == pytest.approx(expected[0], abs=1)
    assert float(row["N"]) == pytest.approx(expected[1], abs=1)


def test_geojson_in_sweref_99_tm_names_its_crs(client, login_as, create_observation):
    create_observation(lat=KUMLA[0], lon=KUMLA[1])
    login_as("coordinator")
    collection = json.loads(download(client, format="geojson", crs="epsg:3006").get_data())
    assert collection["crs"] == {
        "type": "name",
        "properties": {"name": "urn:ogc:def:crs:EPSG::3006"},
    }
    [feature] = collection["features"]
    easting, northing = feature["geometry"]["coordinates"]
    assert easting == pytest.approx(KUMLA_3006[0], abs=1)
    assert northing == pytest.approx(KUMLA_3006[1], abs=1)
    assert easting == round(easting, 1)  # rounded to 0.1 m


def test_xlsx_in_sweref_has_numeric_easting_and_northing(client, login_as, create_observation):
    create_observation(lat=KUMLA[0], lon=KUMLA[1])
    login_as("coordinator")
    header, [row] = workbook_rows(download(client, format="xlsx", crs="EPSG:3006"))
    assert header[-2:] == ["E", "N"]
    assert row[-2:] == [pytest.approx(KUMLA_3006[0], abs=1), pytest.approx(KUMLA_3006[1], abs=1)]


# Spreadsheet safety and personal data


def test_formulas_are_neutralised_in_csv_and_xlsx(client, login_as, create_observation):
    create_observation(description='=HYPERLINK("http://evil.example")', place_text="@SUM(A1)")
    login_as("coordinator")
    [row] = csv_rows(download(client, format="csv"))
    assert row["Beskrivning"] == '\'=HYPERLINK("http://evil.example")'
    assert row["Plats"] == "'@SUM(A1)"
    header, [cells] = workbook_rows(download(client, format="xlsx"))
    values = dict(zip(header, cells, strict=True))
    assert values["Beskrivning"] == '\'=HYPERLINK("http://evil.example")'
    assert values["Plats"] == "'@SUM(A1)"


@pytest.mark.parametrize(
    ("role", "description", "sees_contact"),
    [
        ("coordinator", PHONE_TEXT, True),
        ("police", MASKED_TEXT, False),
        ("admin", MASKED_TEXT, False),
        ("reporter", MASKED_TEXT, False),
    ],
)
def test_free_text_is_masked_unless_the_user_may_see_it(
    client, login_as, observation, role, description, sees_contact
):
    login_as(role, organisation=observation.organisation)
    [row] = csv_rows(download(client, format="csv"))
    assert row["Beskrivning"] == description
    assert ("Kontaktadress (e-post)" in row) is sees_contact
    assert (row.get("Kontaktadress (e-post)") == "anna@example.se") is sees_contact
    properties = json.loads(download(client, format="geojson").get_data())["features"][0]
    assert properties["properties"]["description"] == description
    assert ("contact_email" in properties["properties"]) is sees_contact


# Who may export what


@pytest.mark.parametrize(
    ("role", "same_organisation", "rows"),
    [
        ("coordinator", False, 1),
        ("police", False, 1),
        ("admin", False, 1),
        ("reporter", True, 1),
        ("reporter", False, 0),
        ("viewer", True, None),
        ("viewer", False, None),
    ],
)
def test_export_permission_matrix(
    client, login_as, create_organisation, create_observation, role, same_organisation, rows
):
    organisation = create_organisation("Kumla Bostäder", "housing_company")
    create_observation(organisation=organisation)
    login_as(role, organisation=organisation if same_organisation else None)
    assert client.get("/export/val").status_code == (403 if rows is None else 200)
    response = download(client, format="csv")
    assert response.status_code == (403 if rows is None else 200)
    if rows is None:
        assert exports() == []
    else:
        assert len(csv_rows(response)) == rows


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = download(client, format="csv")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


# Bad requests export nothing


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"format": "pdf"}, "Välj ett av formaten csv, csv_comma, xlsx, geojson."),
        ({"format": ""}, "Välj ett av formaten"),
        ({"format": "csv", "crs": "EPSG:2400"}, "Välj ett av koordinatsystemen EPSG:4326"),
        ({"format": "csv", "category": "NOPE"}, "Välj en kategori i listan."),
    ],
)
def test_bad_arguments_give_400_and_export_nothing(client, login_as, observation, args, message):
    login_as("coordinator")
    response = download(client, **args)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert exports() == []


def test_a_request_without_a_format_goes_to_the_choice_page(client, login_as):
    login_as("coordinator")
    response = client.get("/export?status=ny&status=granskad&q=klotter")
    assert response.status_code == 302
    assert response.headers["Location"] == "/export/val?status=ny&status=granskad&q=klotter"


# The filter decides the rows


def noon(day: int) -> datetime:
    return datetime(2026, 11, day, 12, tzinfo=UTC)


def test_export_holds_exactly_the_filtered_rows(
    client, login_as, create_observation, klotter, create_category
):
    other = create_category("NEDSKRAPNING")
    wanted = create_observation(category=klotter, occurred_at=noon(10))
    create_observation(category=klotter, occurred_at=noon(20))  # after the range
    create_observation(category=other, occurred_at=noon(10))  # another category
    # 23:30 UTC on the 11th is 00:30 on the 12th in Stockholm: outside the range.
    create_observation(category=klotter, occurred_at=datetime(2026, 11, 11, 23, 30, tzinfo=UTC))
    login_as("coordinator")
    args = {"category": "SKADEGORELSE", "date_from": "2026-11-01", "date_to": "2026-11-11"}
    rows = csv_rows(download(client, format="csv", **args))
    assert [row["Id"] for row in rows] == [str(wanted.id)]


def test_export_follows_the_chosen_order(client, login_as, create_observation):
    first = create_observation(occurred_at=datetime(2026, 11, 1, tzinfo=UTC))
    second = create_observation(occurred_at=datetime(2026, 11, 2, tzinfo=UTC))
    login_as("coordinator")
    rows = csv_rows(download(client, format="csv", sort="occurred_old"))
    assert [row["Id"] for row in rows] == [str(first.id), str(second.id)]


# Audit


def test_every_export_is_audited(client, login_as, observation):
    user = login_as("police")
    download(client, format="geojson", crs="EPSG:3006", category="SKADEGORELSE")
    [event] = exports()
    assert (event.actor_id, event.object_type) == (user.id, "Export")
    assert event.details == {
        "format": "geojson",
        "crs": "EPSG:3006",
        "rows": 1,
        "masked": True,
        "via": "web",
        "filter": {"status": [], "category": "SKADEGORELSE", "sort": "new"},
    }


# The choice page


def test_choice_page_keeps_the_filter_and_offers_the_formats(client, login_as, observation):
    login_as("coordinator")
    html = client.get("/export/val?category=SKADEGORELSE&status=ny").get_data(as_text=True)
    assert "1 observation matchar filtret" in html
    assert '<input type="hidden" name="category" value="SKADEGORELSE">' in html
    assert '<input type="hidden" name="status" value="ny">' in html
    for value in ("csv", "csv_comma", "xlsx", "geojson", "EPSG:4326", "EPSG:3006", "EPSG:3009"):
        assert f'value="{value}"' in html
    assert "Lokal zon SWEREF 99 15 00 (EPSG:3009)" in html
    assert "utan maskering" in html  # a coordinator's file holds personal data


def test_choice_page_tells_police_the_free_text_is_masked(client, login_as, observation):
    login_as("police")
    html = client.get("/export/val").get_data(as_text=True)
    assert "är maskerade i filen" in html
    assert "utan maskering" not in html


def test_choice_page_refuses_to_export_a_broken_filter(client, login_as):
    login_as("coordinator")
    html = client.get("/export/val?area=abc").get_data(as_text=True)
    assert "Rätta filtret innan du exporterar" in html
    assert 'action="/export"' not in html


# The command line


def run_export(runner, *args):
    """Run ``est export`` and forget what it did not commit, as its process would."""
    result = runner.invoke(args=["est", "export", *args])
    db.session.rollback()
    return result


def test_cli_exports_the_counted_observations_masked(
    runner, tmp_path, observation, create_observation
):
    create_observation(moderation="pending", source="public")  # not accepted: does not count
    # A merged duplicate counts through its original.
    create_observation(duplicate_of_id=observation.id)
    out = tmp_path / "export.csv"
    result = run_export(runner, "--format", "csv", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Exported 1 observations to {out} (csv, EPSG:4326, free text masked).\n"
    )
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert [(row["Id"], row["Beskrivning"]) for row in rows] == [(str(observation.id), MASKED_TEXT)]
    [event] = exports()
    assert event.actor_id is None
    assert (event.details["via"], event.details["rows"], event.details["masked"]) == (
        "cli",
        1,
        True,
    )


def test_cli_exports_a_date_range_in_sweref_unmasked(
    runner, tmp_path, observation, create_observation
):
    create_observation(occurred_at=datetime(2026, 12, 1, 12, tzinfo=UTC))
    out = tmp_path / "export.geojson"
    args = [
        "--format",
        "geojson",
        "--crs",
        "EPSG:3006",
        "--from",
        "2026-11-27",
        "--to",
        "2026-11-27",
    ]
    result = run_export(runner, *args, "--unmasked", "--out", str(out))
    assert result.exit_code == 0, result.output
    collection = json.loads(out.read_text(encoding="utf-8"))
    [feature] = collection["features"]
    assert feature["properties"]["id"] == str(observation.id)
    assert feature["properties"]["description"] == PHONE_TEXT
    assert feature["properties"]["contact_email"] == "anna@example.se"
    assert feature["geometry"]["coordinates"][0] == pytest.approx(KUMLA_3006[0], abs=1)
    [event] = exports()
    assert event.details["masked"] is False
    assert event.details["filter"]["date_from"] == "2026-11-27"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-13-01"], "Invalid value for '--from'"),
        (["--from", "27/11/2026"], "Invalid value for '--from'"),
        (["--from", "2026-11-28", "--to", "2026-11-27"], "the last day comes before the first"),
        (
            ["--crs", "EPSG:2400"],
            "'EPSG:2400' is not offered; choose EPSG:4326, EPSG:3006, EPSG:3009",
        ),
        (["--format", "pdf"], "Invalid value for '--format'"),
    ],
)
def test_cli_refuses_bad_arguments_and_writes_nothing(runner, tmp_path, observation, args, message):
    folder = tmp_path / "exports"
    folder.mkdir()
    result = run_export(runner, "--format", "csv", *args, "--out", str(folder / "export.csv"))
    assert result.exit_code == 2
    assert message in result.stderr
    assert list(folder.iterdir()) == []
    assert exports() == []


def test_cli_reports_a_directory_it_cannot_write(runner, tmp_path):
    result = run_export(runner, "--format", "csv", "--out", str(tmp_path / "missing" / "x.csv"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot write {tmp_path / 'missing' / 'x.csv'}")
    assert exports() == []


def test_cli_export_file_is_private(runner, tmp_path, observation):
    out = tmp_path / "export.xlsx"
    run_export(runner, "--format", "xlsx", "--out", str(out))
    assert out.stat().st_mode & 0o077 == 0  # personal data: readable by its owner only
    header, *rows = openpyxl.load_workbook(out).active.iter_rows(values_only=True)
    assert len(rows) == 1 and header[0] == "Id"


def test_export_ids_are_unique_per_export(client, login_as, observation):
    login_as("coordinator")
    download(client, format="csv")
    download(client, format="csv")
    ids = {event.object_id for event in exports()}
    assert len(ids) == 2 and all(uuid.UUID(i) for i in ids)
