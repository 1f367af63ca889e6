"""The coordinators' review: the inbox, the detail page and its actions."""

import uuid
from datetime import timedelta

import pytest

from est_pwa.areas.service import save_area
from est_pwa.audit.models import AuditEvent
from est_pwa.clock import now_utc
from est_pwa.extensions import db
from est_pwa.observations.models import Comment, Observation, Photo, counted
from est_pwa.review.filters import decode_cursor, encode_cursor

from conftest import SQUARE


def text(response) -> str:
    return response.get_data(as_text=True)


def history(observation) -> list[str]:
    query = db.select(AuditEvent.action).filter_by(object_id=str(observation.id))
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def add_photo(observation) -> Photo:
    """Store a (tiny, stand-in) photo of ``observation``; the pages only link to it."""
    photo = Photo(
        observation=observation,
        width=1,
        height=1,
        data=b"x",
        thumbnail=b"x",
        sha256="a" * 64,
        source_sha256="a" * 64,
    )
    db.session.add(photo)
    db.session.commit()
    return photo


def fresh(observation) -> Observation:
    db.session.expire_all()
    return db.session.get(Observation, observation.id)


@pytest.fixture
def categories(create_category):
    vandalism = create_category("SKADEGORELSE", name_sv="Skadegörelse")
    graffiti = create_category("SKADEGORELSE_KLOTTER", parent=vandalism, name_sv="Klotter")
    litter = create_category("NEDSKRAPNING", name_sv="Nedskräpning")
    return vandalism, graffiti, litter


@pytest.fixture
def post_to(client):
    """POST ``data`` with a CSRF token taken from the start page."""
    from conftest import csrf_token_from

    def post(url: str, data: dict | None = None):
        token = csrf_token_from(client.get("/"))
        return client.post(url, data={**(data or {}), "csrf_token": token})

    return post


# ---------- The inbox ----------


def test_inbox_lists_observations_with_links_to_their_pages(
    client, login_as, create_observation, categories
):
    login_as("coordinator")
    observation = create_observation(categories[1], place_text="Bakom Kumla centrum")
    html = text(client.get("/granskning"))
    assert "1 observation" in html
    assert f'href="/observationer/{observation.id}"' in html
    assert "Klotter" in html and "Bakom Kumla centrum" in html


def test_filters_combine(client, login_as, create_observation, create_area, categories):
    login_as("coordinator")
    vandalism, graffiti, litter = categories
    centre = create_area("Centrum", SQUARE)
    match = create_observation(graffiti, area=centre, status="granskad", description="Tagg på vägg")
    create_observation(graffiti, area=centre, status="ny", description="Tagg på vägg")
    create_observation(litter, area=centre, status="granskad", description="Tagg på vägg")
    create_observation(graffiti, status="granskad", description="Tagg på vägg")
    create_observation(graffiti, area=centre, status="granskad", description="Glas")
    args = f"status=granskad&category=SKADEGORELSE&area={centre.id}&q=tagg"
    html = text(client.get(f"/granskning?{args}"))
    assert "1 observation<" in html
    assert f"/observationer/{match.id}" in html


def test_date_range_uses_swedish_days(client, login_as, create_observation, categories):
    login_as("coordinator")
    today = now_utc()
    inside = create_observation(categories[0], occurred_at=today - timedelta(days=2))
    create_observation(categories[0], occurred_at=today - timedelta(days=9))
    day = (today - timedelta(days=3)).date().isoformat()
    html = text(client.get(f"/granskning?date_from={day}"))
    assert f"/observationer/{inside.id}" in html
    assert "1 observation<" in html


def test_a_malformed_date_is_explained_and_filters_nothing(
    client, login_as, create_observation, categories
):
    login_as("coordinator")
    create_observation(categories[0])
    create_observation(categories[0])
    html = text(client.get("/granskning?date_from=31-13-2026"))
    assert "Not a valid date value" in html or "giltigt datum" in html
    assert "2 observationer" in html


def test_photo_filter(client, login_as, create_observation, categories):
    login_as("coordinator")
    with_photo = create_observation(categories[0])
    add_photo(with_photo)
    without = create_observation(categories[0])
    html = text(client.get("/granskning?photos=yes"))
    assert str(with_photo.id) in html and str(without.id) not in html
    html = text(client.get("/granskning?photos=no"))
    assert str(without.id) in html and str(with_photo.id) not in html


def test_keyset_pages_show_every_observation_once(client, login_as, create_observation, categories):
    login_as("coordinator")
    made = [create_observation(categories[0]) for _ in range(57)]
    seen, url = [], "/granskning"
    while url:
        html = text(client.get(url))
        seen += [str(o.id) for o in made if f"/observationer/{o.id}" in html]
        marker = 'rel="next" href="'
        url = html.split(marker)[1].split('"')[0].replace("&amp;", "&") if marker in html else None
    assert sorted(seen) == sorted(str(o.id) for o in made)


def test_the_oldest_first_order_and_a_damaged_cursor(
    client, login_as, create_observation, categories
):
    login_as("coordinator")
    first = create_observation(categories[0])
    second = create_observation(categories[0])
    html = text(client.get("/granskning?sort=old&efter=not-a-cursor"))
    assert html.index(str(first.id)) < html.index(str(second.id))


def test_cursor_round_trip():
    moment, observation_id = now_utc(), uuid.uuid4()
    assert decode_cursor(encode_cursor(moment, observation_id)) == (moment, observation_id)
    assert decode_cursor("%%%") is None
    assert decode_cursor(None) is None


def test_pending_public_submissions_show_and_spam_does_not(
    client, login_as, create_observation, categories
):
    login_as("coordinator")
    pending = create_observation(categories[0], source="public", moderation="pending")
    spam = create_observation(categories[0], source="public", moderation="spam")
    html = text(client.get("/granskning"))
    assert str(pending.id) in html and str(spam.id) not in html
    assert str(spam.id) in text(client.get("/granskning?moderation=spam"))


# ---------- Who sees what ----------


@pytest.mark.parametrize(
    ("role", "own", "other"),
    [
        ("coordinator", 200, 200),
        ("admin", 200, 200),
        ("police", 200, 200),
        ("reporter", 200, 404),
        ("viewer", 403, 403),
    ],
)
def test_detail_page_by_role_and_organisation(
    client, login_as, create_organisation, create_observation, categories, role, own, other
):
    user = login_as(role)
    mine = create_observation(categories[0], organisation_id=user.organisation_id)
    elsewhere = create_observation(categories[0], organisation=create_organisation("Annan AB"))
    assert client.get(f"/observationer/{mine.id}").status_code == own
    assert client.get(f"/observationer/{elsewhere.id}").status_code == other


def test_reporters_inbox_holds_their_organisation_only(
    client, login_as, create_organisation, create_observation, categories
):
    user = login_as("reporter")
    mine = create_observation(categories[0], organisation_id=user.organisation_id)
    theirs = create_observation(categories[0], organisation=create_organisation("Annan AB"))
    public = create_observation(categories[0], source="public")
    html = text(client.get("/granskning"))
    assert str(mine.id) in html
    assert str(theirs.id) not in html and str(public.id) not in html
    assert 'name="ids"' not in html  # no bulk actions


@pytest.mark.parametrize("role", ["police", "reporter", "viewer"])
@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("status", {"status": "granskad"}),
        ("klassning", {"category": "NEDSKRAPNING", "place_type": "", "area": ""}),
        ("aterkoppling", {"feedback": "Åtgärdat"}),
        ("polisanmald", {"police_reported": "y"}),
    ],
)
def test_only_reviewers_change_observations(
    login_as, post_to, create_observation, categories, role, path, data
):
    user = login_as(role)
    observation = create_observation(categories[0], organisation_id=user.organisation_id)
    response = post_to(f"/observationer/{observation.id}/{path}", data)
    assert response.status_code == 403
    assert fresh(observation).status == "ny" and history(observation) == []


def test_contact_email_and_raw_text_only_for_coordinators(
    client, login_as, create_observation, categories
):
    observation = create_observation(
        categories[0],
        source="public",
        contact_email="boende@example.se",
        description="Ring 070-123 45 67 om det",
    )
    login_as("police")
    html = text(client.get(f"/observationer/{observation.id}"))
    assert "boende@example.se" not in html and "070-123 45 67" not in html
    login_as("coordinator")
    html = text(client.get(f"/observationer/{observation.id}"))
    assert "boende@example.se" in html and "070-123 45 67" in html


def test_forged_form_without_csrf_changes_nothing(client, login_as, create_observation, categories):
    login_as("coordinator")
    observation = create_observation(categories[0])
    response = client.post(f"/observationer/{observation.id}/status", data={"status": "avslutad"})
    assert response.status_code == 400
    assert fresh(observation).status == "ny"


# ---------- The workflow ----------


def test_status_moves_along_the_workflow_and_is_recorded(
    client, login_as, post_to, create_observation, categories
):
    login_as("coordinator")
    observation = create_observation(categories[0])
    response = post_to(f"/observationer/{observation.id}/status", {"status": "granskad"})
    assert response.status_code == 302
    assert fresh(observation).status == "granskad"
    html = text(client.get(f"/observationer/{observation.id}"))
    assert "Status ändrad" in html and "Ny → Granskad" in html


def test_rejecting_needs_a_reason(client, login_as, post_to, create_observation, categories):
    login_as("coordinator")
    observation = create_observation(categories[0])
    response = post_to(f"/observationer/{observation.id}/status", {"status": "avvisad"})
    assert response.status_code == 400
    assert "Ange varför observationen avvisas." in text(response)
    assert fresh(observation).status == "ny"
    post_to(f"/observationer/{observation.id}/status", {"status": "avvisad", "reason": "Dubblett"})
    assert fresh(observation).status == "avvisad"
    assert fresh(observation).status_reason == "Dubblett"


def test_reopening_is_allowed_and_recorded(
    client, login_as, post_to, create_observation, categories
):
    login_as("coordinator")
    observation = create_observation(categories[0], status="avslutad")
    post_to(
        f"/observationer/{observation.id}/status",
        {"status": "atgard_planerad", "reason": "Klottret är tillbaka"},
    )
    assert fresh(observation).status == "atgard_planerad"
    assert history(observation) == ["observation.reopen"]
    html = text(client.get(f"/observationer/{observation.id}"))
    assert "Återöppnad" in html and "Klottret är tillbaka" in html


def test_an_unknown_status_is_refused(login_as, post_to, create_observation, categories):
    login_as("coordinator")
    observation = create_observation(categories[0])
    response = post_to(f"/observationer/{observation.id}/status", {"status": "klar"})
    assert response.status_code == 400
    assert fresh(observation).status == "ny"


# ---------- Classification, feedback, police ----------


def test_classify_with_a_hand_chosen_area_that_boundaries_leave_alone(
    login_as, post_to, create_observation, create_area, categories
):
    login_as("coordinator")
    centre = create_area("Centrum", SQUARE)
    north = create_area("Norr", [[15.0, 59.2], [15.1, 59.2], [15.1, 59.3], [15.0, 59.2]])
    observation = create_observation(categories[0], area=centre)
    data = {"category": "NEDSKRAPNING", "place_type": "park", "area": str(north.id)}
    assert post_to(f"/observationer/{observation.id}/klassning", data).status_code == 302
    found = fresh(observation)
    assert (found.category.code, found.place_type, found.area_id) == (
        "NEDSKRAPNING",
        "park",
        north.id,
    )
    save_area(centre, description="Ny beskrivning")  # recomputes every area
    db.session.commit()
    assert fresh(observation).area_id == north.id
    post_to(f"/observationer/{observation.id}/klassning", {**data, "area": ""})
    assert fresh(observation).area_id == centre.id
    assert fresh(observation).area_locked is False
    assert history(observation) == ["observation.classify", "observation.classify"]


def test_feedback_reaches_the_reporters_list_and_the_api(
    client, auth, login_as, create_user, post_to, create_observation, categories
):
    reporter = create_user("reporter")
    observation = create_observation(
        categories[0], reporter=reporter, organisation_id=reporter.organisation_id
    )
    login_as("coordinator")
    post_to(f"/observationer/{observation.id}/aterkoppling", {"feedback": "Klottret är sanerat."})
    post_to(f"/observationer/{observation.id}/status", {"status": "atgardad"})
    auth.logout()
    auth.login(reporter.email)
    html = text(client.get("/mina-rapporter"))
    assert "Klottret är sanerat." in html and "Åtgärdad" in html
    answer = client.get(f"/api/v1/observations/{observation.id}").get_json()
    assert answer["feedback"] == "Klottret är sanerat."  # the sync API carries it too


def test_police_reported_is_recorded(login_as, post_to, create_observation, categories):
    login_as("coordinator")
    observation = create_observation(categories[0])
    post_to(f"/observationer/{observation.id}/polisanmald", {"police_reported": "y"})
    assert fresh(observation).police_reported is True
    assert history(observation) == ["observation.police_reported"]


# ---------- Comments ----------


def test_internal_comments_stay_in_the_authors_organisation(
    client, auth, create_user, post_to, create_observation, categories
):
    police = create_user("police")
    other_police = create_user("police", organisation=police.organisation)
    coordinator = create_user("coordinator")
    observation = create_observation(categories[0])
    auth.login(police.email)
    post_to(
        f"/observationer/{observation.id}/kommentarer",
        {"body": "Vi patrullerar", "visibility": "shared"},
    )
    post_to(
        f"/observationer/{observation.id}/kommentarer",
        {"body": "Känd plats", "visibility": "internal"},
    )
    auth.logout()
    auth.login(other_police.email)
    html = text(client.get(f"/observationer/{observation.id}"))
    assert "Vi patrullerar" in html and "Känd plats" in html
    auth.logout()
    auth.login(coordinator.email)
    html = text(client.get(f"/observationer/{observation.id}"))
    assert "Vi patrullerar" in html and "Känd plats" not in html
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 2


def test_a_reporter_cannot_comment_on_another_organisations_observation(
    login_as, post_to, create_organisation, create_observation, categories
):
    login_as("reporter")
    elsewhere = create_observation(categories[0], organisation=create_organisation("Annan AB"))
    response = post_to(f"/observationer/{elsewhere.id}/kommentarer", {"body": "Hej"})
    assert response.status_code == 404
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0


def test_an_empty_comment_is_refused(login_as, post_to, create_observation, categories):
    login_as("police")
    observation = create_observation(categories[0])
    response = post_to(f"/observationer/{observation.id}/kommentarer", {"body": ""})
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0


# ---------- Duplicates ----------


def test_likely_duplicates_are_suggested(client, login_as, create_observation, categories):
    login_as("coordinator")
    vandalism, graffiti, litter = categories
    at = now_utc() - timedelta(hours=3)
    observation = create_observation(graffiti, occurred_at=at)
    near = create_observation(vandalism, lat=59.1280, occurred_at=at + timedelta(hours=5))
    far = create_observation(graffiti, lat=59.1300, occurred_at=at)  # ~250 m
    late = create_observation(graffiti, occurred_at=at - timedelta(hours=30))
    other_kind = create_observation(litter, occurred_at=at)
    html = text(client.get(f"/observationer/{observation.id}"))
    section = html.split('id="duplicates-heading"')[1]
    assert str(near.id) in section
    for excluded in (far, late, other_kind):
        assert str(excluded.id) not in section


def test_merge_keeps_photos_and_history_and_counts_once(
    client, login_as, post_to, create_observation, categories
):
    login_as("coordinator")
    original = create_observation(categories[0])
    duplicate = create_observation(categories[0])
    photo = add_photo(duplicate)
    response = post_to(f"/observationer/{duplicate.id}/sammanfoga", {"original": str(original.id)})
    assert response.status_code == 302
    assert fresh(duplicate).duplicate_of_id == original.id
    counted_ids = db.session.scalars(db.select(Observation.id).where(counted())).all()
    assert counted_ids == [original.id]
    html = text(client.get(f"/observationer/{original.id}"))
    assert f"/observationer/{duplicate.id}/foton/{photo.id}" in html
    assert "Sammanslagen som dubblett" in html  # the duplicate's history shows on the original
    post_to(f"/observationer/{duplicate.id}/separera")
    assert fresh(duplicate).duplicate_of_id is None


def test_merging_into_a_merged_observation_points_at_its_original(
    login_as, post_to, create_observation, categories
):
    login_as("coordinator")
    first, second, third = (create_observation(categories[0]) for _ in range(3))
    post_to(f"/observationer/{second.id}/sammanfoga", {"original": str(first.id)})
    post_to(f"/observationer/{third.id}/sammanfoga", {"original": str(second.id)})
    assert fresh(third).duplicate_of_id == first.id
    response = post_to(f"/observationer/{first.id}/sammanfoga", {"original": str(first.id)})
    assert response.status_code == 302
    assert fresh(first).duplicate_of_id is None


def test_a_merged_duplicate_follows_its_original(login_as, post_to, create_observation, categories):
    login_as("coordinator")
    original = create_observation(categories[0])
    duplicate = create_observation(categories[0], duplicate_of_id=original.id)
    post_to(f"/observationer/{duplicate.id}/status", {"status": "avslutad"})
    assert fresh(duplicate).status == "ny"


# ---------- Bulk actions ----------


def test_bulk_status_and_category(login_as, post_to, create_observation, categories):
    login_as("coordinator")
    chosen = [create_observation(categories[0]) for _ in range(3)]
    untouched = create_observation(categories[0])
    ids = [str(o.id) for o in chosen]
    data = {"ids": ids, "action": "status", "status": "granskad", "category": "SKADEGORELSE"}
    assert post_to("/granskning/massandring", data).status_code == 302
    assert {fresh(o).status for o in chosen} == {"granskad"}
    assert fresh(untouched).status == "ny"
    post_to("/granskning/massandring", {**data, "action": "category", "category": "NEDSKRAPNING"})
    assert {fresh(o).category.code for o in chosen} == {"NEDSKRAPNING"}


def test_bulk_accept_and_spam_public_submissions(login_as, post_to, create_observation, categories):
    login_as("coordinator")
    first, second = (
        create_observation(categories[0], source="public", moderation="pending") for _ in range(2)
    )
    base = {"status": "ny", "category": "SKADEGORELSE"}
    post_to("/granskning/massandring", {**base, "ids": [str(first.id)], "action": "accepted"})
    post_to("/granskning/massandring", {**base, "ids": [str(second.id)], "action": "spam"})
    assert (fresh(first).moderation, fresh(second).moderation) == ("accepted", "spam")


def test_bulk_rejection_and_empty_selection_are_refused(
    client, login_as, post_to, create_observation, categories
):
    login_as("coordinator")
    observation = create_observation(categories[0])
    base = {"action": "status", "status": "avvisad", "category": "SKADEGORELSE"}
    post_to("/granskning/massandring", {**base, "ids": [str(observation.id)]})
    assert fresh(observation).status == "ny"
    response = post_to("/granskning/massandring", {**base, "status": "granskad"})
    assert response.status_code == 302
    assert "Markera minst en observation." in text(client.get("/granskning"))


def test_bulk_cannot_reach_observations_out_of_sight(
    login_as, post_to, create_observation, categories
):
    login_as("coordinator")
    data = {"ids": ["not-a-uuid"], "action": "status", "status": "granskad", "category": "X"}
    data["category"] = "SKADEGORELSE"
    assert post_to("/granskning/massandring", data).status_code == 400
    data["ids"] = [str(uuid.uuid4())]
    assert post_to("/granskning/massandring", data).status_code == 404
