"""Admin pages for users, organisations and categories: the forms, their refusals and the audit."""

import pytest

from est_pwa.accounts.models import Organisation, User
from est_pwa.audit.models import AuditEvent
from est_pwa.categories.models import Category
from est_pwa.extensions import db

from conftest import PASSWORD


@pytest.fixture(autouse=True)
def english(client):
    """Read the pages in English, so the assertions do not depend on the Swedish catalogue."""
    client.set_cookie("est_lang", "en")


@pytest.fixture
def admin(login_as):
    return login_as("admin")


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def events(action: str) -> list[AuditEvent]:
    return db.session.scalars(db.select(AuditEvent).filter_by(action=action)).all()


def text(response) -> str:
    return response.get_data(as_text=True)


# Organisations


def test_admin_creates_an_organisation(post_form, admin):
    response = post_form(
        "/admin/organisationer/ny",
        {"name": " Kumla Bostäder ", "kind": "housing_company", "active": "y"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "The organisation Kumla Bostäder was saved." in text(response)
    assert "Kumla Bostäder" in text(response)
    organisation = db.session.scalar(db.select(Organisation).filter_by(name="Kumla Bostäder"))
    assert organisation.kind == "housing_company"
    assert organisation.active
    [event] = events("organisation.create")
    assert event.actor_id == admin.id
    assert event.object_type == "Organisation"
    assert event.object_id == str(organisation.id)
    assert event.details["name"] == "Kumla Bostäder"


def test_admin_edits_an_organisation(client, post_form, admin, create_organisation):
    organisation = create_organisation("Securitas", "security_company")
    url = f"/admin/organisationer/{organisation.id}"
    assert 'value="Securitas"' in text(client.get(url))
    response = post_form(url, {"name": "Securitas Kumla", "kind": "security_company"})
    assert response.status_code == 302
    db.session.expire_all()
    assert organisation.name == "Securitas Kumla"
    assert organisation.active is False
    [event] = events("organisation.update")
    assert event.actor_id == admin.id
    assert event.details == {"name": "Securitas Kumla", "kind": "security_company", "active": False}


def test_duplicate_organisation_name_is_refused(post_form, admin, create_organisation):
    create_organisation("Kumla Bostäder", "housing_company")
    before = count(Organisation)
    response = post_form(
        "/admin/organisationer/ny", {"name": "Kumla Bostäder", "kind": "business", "active": "y"}
    )
    assert response.status_code == 200
    assert "Another organisation already has this name." in text(response)
    assert count(Organisation) == before
    assert events("organisation.create") == []


def test_renaming_onto_another_organisation_is_refused(post_form, admin, create_organisation):
    create_organisation("Polisen Örebro", "police")
    other = create_organisation("Polisen Kumla", "police")
    response = post_form(
        f"/admin/organisationer/{other.id}", {"name": "Polisen Örebro", "kind": "police"}
    )
    assert "Another organisation already has this name." in text(response)
    db.session.expire_all()
    assert other.name == "Polisen Kumla"
    assert events("organisation.update") == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "kind": "business"}, "This field is required."),
        ({"name": "   ", "kind": "business"}, "This field is required."),
        ({"name": "x" * 201, "kind": "business"}, "Field cannot be longer than 200 characters."),
        ({"name": "Kumla IF", "kind": "sports_club"}, "Not a valid choice."),
    ],
)
def test_bad_organisation_input_is_refused(post_form, admin, data, message):
    before = count(Organisation)
    response = post_form("/admin/organisationer/ny", data)
    assert response.status_code == 200
    assert message in text(response)
    assert count(Organisation) == before


def test_unknown_organisation_is_404(client, admin):
    assert client.get("/admin/organisationer/9999").status_code == 404


# Users


@pytest.fixture
def housing(create_organisation):
    return create_organisation("Kumla Bostäder", "housing_company")


def user_data(organisation, **changes) -> dict:
    data = {
        "name": "Karin Vaktmästare",
        "email": "karin@kumlabostader.example",
        "role": "reporter",
        "organisation_id": str(organisation.id),
        "password": "a new long password",
        "active": "y",
    }
    return {key: value for key, value in {**data, **changes}.items() if value is not None}


def test_admin_creates_a_user_who_can_log_in(client, auth, post_form, admin, housing):
    response = post_form("/admin/anvandare/ny", user_data(housing), follow_redirects=True)
    assert "The account karin@kumlabostader.example was saved." in text(response)
    user = db.session.scalar(db.select(User).filter_by(email="karin@kumlabostader.example"))
    assert (user.name, user.role, user.organisation_id) == (
        "Karin Vaktmästare",
        "reporter",
        housing.id,
    )
    assert user.password_hash.startswith("scrypt:")
    [event] = events("user.create")
    assert event.actor_id == admin.id
    assert event.object_id == str(user.id)
    assert event.details["password_changed"] is True
    assert "a new long password" not in str(event.details)
    auth.logout()
    assert auth.login("karin@kumlabostader.example", "a new long password").status_code == 302


def test_new_user_email_is_stored_in_lower_case(post_form, admin, housing):
    post_form("/admin/anvandare/ny", user_data(housing, email="Karin@KumlaBostader.Example"))
    assert db.session.scalar(db.select(User).filter_by(email="karin@kumlabostader.example"))


def test_new_user_needs_a_password(post_form, admin, housing):
    before = count(User)
    response = post_form("/admin/anvandare/ny", user_data(housing, password=None))
    assert "A new account needs a password." in text(response)
    assert count(User) == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not-an-email"}, "Invalid email address."),
        ({"email": ""}, "This field is required."),
        ({"name": ""}, "This field is required."),
        ({"password": "short"}, "Field must be between 10 and 200 characters long."),
        ({"role": "superuser"}, "Not a valid choice."),
        ({"organisation_id": "9999"}, "Not a valid choice."),
        ({"organisation_id": "abc"}, "Invalid Choice: could not coerce."),
    ],
)
def test_bad_user_input_is_refused(post_form, admin, housing, changes, message):
    before = count(User)
    response = post_form("/admin/anvandare/ny", user_data(housing, **changes))
    assert response.status_code == 200
    assert message in text(response)
    assert count(User) == before
    assert events("user.create") == []


@pytest.mark.parametrize("email", ["taken@kumla.example", "Taken@Kumla.Example"])
def test_duplicate_email_is_refused(post_form, admin, housing, create_user, email):
    create_user("viewer", email="taken@kumla.example")
    before = count(User)
    response = post_form("/admin/anvandare/ny", user_data(housing, email=email))
    assert response.status_code == 200
    assert "Another account already uses this e-mail." in text(response)
    assert count(User) == before


def test_changing_email_onto_another_account_is_refused(post_form, admin, housing, create_user):
    create_user("viewer", email="taken@kumla.example")
    user = create_user("reporter", email="karin@kumla.example", organisation=housing)
    response = post_form(
        f"/admin/anvandare/{user.id}", user_data(housing, email="taken@kumla.example")
    )
    assert "Another account already uses this e-mail." in text(response)
    db.session.expire_all()
    assert user.email == "karin@kumla.example"
    assert events("user.update") == []


def test_admin_edits_a_user_and_keeps_the_password(auth, post_form, admin, housing, create_user):
    user = create_user("reporter", email="karin@kumla.example", organisation=housing)
    response = post_form(
        f"/admin/anvandare/{user.id}",
        user_data(housing, email="karin@kumla.example", role="coordinator", password=""),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert user.role == "coordinator"
    assert user.name == "Karin Vaktmästare"
    assert user.check_password(PASSWORD)
    [event] = events("user.update")
    assert event.details["role"] == "coordinator"
    assert event.details["password_changed"] is False


def test_admin_resets_a_password(post_form, admin, housing, create_user):
    user = create_user("reporter", email="karin@kumla.example", organisation=housing)
    post_form(
        f"/admin/anvandare/{user.id}",
        user_data(housing, email="karin@kumla.example", password="another long one"),
    )
    db.session.expire_all()
    assert user.check_password("another long one")
    assert not user.check_password(PASSWORD)


def test_deactivated_user_cannot_log_in(client, auth, post_form, admin, housing, create_user):
    user = create_user("reporter", email="karin@kumla.example", organisation=housing)
    post_form(
        f"/admin/anvandare/{user.id}",
        user_data(housing, email="karin@kumla.example", password="", active=None),
    )
    auth.logout()
    response = auth.login("karin@kumla.example")
    assert "Wrong e-mail or password." in text(response)


@pytest.mark.parametrize("changes", [{"role": "coordinator"}, {"role": "viewer"}, {"active": None}])
def test_admin_cannot_remove_own_admin_rights(post_form, admin, changes):
    data = {
        "name": admin.name,
        "email": admin.email,
        "role": "admin",
        "organisation_id": str(admin.organisation_id),
        "password": "",
        "active": "y",
        **changes,
    }
    data = {key: value for key, value in data.items() if value is not None}
    response = post_form(f"/admin/anvandare/{admin.id}", data)
    assert response.status_code == 200
    assert "You cannot remove your own administrator rights." in text(response)
    db.session.expire_all()
    assert admin.role == "admin"
    assert admin.active
    assert events("user.update") == []


def test_admin_may_demote_another_admin(post_form, admin, create_user):
    other = create_user("admin")
    data = {
        "name": other.name,
        "email": other.email,
        "role": "viewer",
        "organisation_id": str(other.organisation_id),
        "active": "y",
    }
    assert post_form(f"/admin/anvandare/{other.id}", data).status_code == 302
    db.session.expire_all()
    assert other.role == "viewer"


def test_users_page_lists_accounts_with_last_login(client, admin):
    html = text(client.get("/admin/anvandare"))
    assert admin.email in html
    assert "Administrator" in html


def test_unknown_user_is_404(client, admin):
    assert client.get("/admin/anvandare/9999").status_code == 404


# Categories


def category_data(**changes) -> dict:
    data = {
        "code": "SKADEGORELSE",
        "name_sv": "Skadegörelse",
        "name_en": "Vandalism",
        "parent_id": "0",
        "position": "0",
        "active": "y",
    }
    return {key: value for key, value in {**data, **changes}.items() if value is not None}


def test_admin_creates_a_main_category(post_form, admin):
    response = post_form("/admin/kategorier/ny", category_data(), follow_redirects=True)
    assert "The category SKADEGORELSE was saved." in text(response)
    category = db.session.scalar(db.select(Category).filter_by(code="SKADEGORELSE"))
    assert (category.name_sv, category.name_en, category.parent_id) == (
        "Skadegörelse",
        "Vandalism",
        None,
    )
    [event] = events("category.create")
    assert event.actor_id == admin.id
    assert event.details == {"code": "SKADEGORELSE"}


def test_admin_creates_a_sub_category(post_form, admin, create_category):
    main = create_category("SKADEGORELSE")
    data = category_data(
        code="SKADEGORELSE_KLOTTER", name_sv="Klotter", name_en="Graffiti", parent_id=str(main.id)
    )
    assert post_form("/admin/kategorier/ny", data).status_code == 302
    child = db.session.scalar(db.select(Category).filter_by(code="SKADEGORELSE_KLOTTER"))
    assert child.parent_id == main.id


def test_duplicate_category_code_is_refused(post_form, admin, create_category):
    create_category("SKADEGORELSE")
    response = post_form("/admin/kategorier/ny", category_data(name_sv="Annan"))
    assert response.status_code == 200
    assert "Another category already has this code." in text(response)
    assert count(Category) == 1
    assert events("category.create") == []


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("skadegorelse", "Use A–Z, digits and _ only."),
        ("1KLOTTER", "Use A–Z, digits and _ only."),
        ("SKADE-GORELSE", "Use A–Z, digits and _ only."),
        ("SKADE GORELSE", "Use A–Z, digits and _ only."),
        ("SKADEGÖRELSE", "Use A–Z, digits and _ only."),
        ("_KLOTTER", "Use A–Z, digits and _ only."),
        ("", "This field is required."),
        ("A" * 65, "Field cannot be longer than 64 characters."),
    ],
)
def test_invalid_category_code_is_refused(post_form, admin, code, message):
    response = post_form("/admin/kategorier/ny", category_data(code=code))
    assert response.status_code == 200
    assert message in text(response)
    assert count(Category) == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name_sv": ""}, "This field is required."),
        ({"name_en": ""}, "This field is required."),
        ({"position": "1000"}, "Number must be between 0 and 999."),
        ({"parent_id": "9999"}, "Not a valid choice."),
    ],
)
def test_bad_category_input_is_refused(post_form, admin, changes, message):
    response = post_form("/admin/kategorier/ny", category_data(**changes))
    assert message in text(response)
    assert count(Category) == 0


def test_sub_category_cannot_be_a_parent(post_form, admin, create_category):
    main = create_category("SKADEGORELSE")
    sub = create_category("SKADEGORELSE_KLOTTER", parent=main)
    data = category_data(code="SKADEGORELSE_KLOTTER_TAGG", parent_id=str(sub.id))
    response = post_form("/admin/kategorier/ny", data)
    assert response.status_code == 200
    assert db.session.scalar(db.select(Category).filter_by(code=data["code"])) is None


def test_main_category_with_children_stays_main(post_form, admin, create_category):
    main = create_category("SKADEGORELSE")
    create_category("SKADEGORELSE_KLOTTER", parent=main)
    other = create_category("OVRIGT")
    data = category_data(parent_id=str(other.id))
    response = post_form(f"/admin/kategorier/{main.id}", data)
    assert "A category with sub-categories must stay a main category." in text(response)
    db.session.expire_all()
    assert main.parent_id is None


def test_category_code_cannot_be_changed(client, post_form, admin, create_category):
    category = create_category("SKADEGORELSE", name_sv="Skadegörelse")
    url = f"/admin/kategorier/{category.id}"
    assert "readonly" in text(client.get(url))
    response = post_form(url, category_data(code="VANDALISM", name_sv="Skadegörelse (alla)"))
    assert response.status_code == 302
    db.session.expire_all()
    assert category.code == "SKADEGORELSE"
    assert category.name_sv == "Skadegörelse (alla)"
    assert db.session.scalar(db.select(Category).filter_by(code="VANDALISM")) is None
    [event] = events("category.update")
    assert event.details == {"code": "SKADEGORELSE"}


def test_unused_category_can_be_deleted(client, post_form, admin, create_category):
    category = create_category("ARRANGEMANG")
    category_id = category.id
    response = post_form(
        f"/admin/kategorier/{category_id}/radera",
        {},
        form_url=f"/admin/kategorier/{category_id}",
        follow_redirects=True,
    )
    assert "The category ARRANGEMANG was deleted." in text(response)
    assert db.session.get(Category, category_id) is None
    [event] = events("category.delete")
    assert event.object_id == str(category_id)
    assert event.actor_id == admin.id


@pytest.mark.parametrize("used", ["itself", "sub-category"])
def test_used_category_cannot_be_deleted(
    post_form, admin, create_category, create_observation, used
):
    main = create_category("SKADEGORELSE")
    if used == "itself":
        create_observation(category=main)
    else:
        create_observation(category=create_category("SKADEGORELSE_KLOTTER", parent=main))
    response = post_form(
        f"/admin/kategorier/{main.id}/radera",
        {},
        form_url=f"/admin/kategorier/{main.id}",
        follow_redirects=True,
    )
    assert "The category is used and cannot be deleted. Deactivate it instead." in text(response)
    assert db.session.get(Category, main.id) is not None
    assert events("category.delete") == []


def test_main_category_with_children_cannot_be_deleted(post_form, admin, create_category):
    main = create_category("SKADEGORELSE")
    create_category("SKADEGORELSE_KLOTTER", parent=main)
    post_form(f"/admin/kategorier/{main.id}/radera", {}, form_url=f"/admin/kategorier/{main.id}")
    assert count(Category) == 2


def test_used_category_can_be_deactivated(
    client, post_form, admin, create_category, create_observation
):
    category = create_category("SKADEGORELSE", name_sv="Skadegörelse", name_en="Vandalism")
    create_observation(category=category)
    response = post_form(f"/admin/kategorier/{category.id}", category_data(active=None))
    assert response.status_code == 302
    db.session.expire_all()
    assert category.active is False
    assert "Inactive" in text(client.get("/admin/kategorier/"))
    [event] = events("category.update")
    assert event.actor_id == admin.id


@pytest.mark.parametrize(("language", "name"), [("en", "Vandalism"), ("sv", "Skadegörelse")])
def test_category_names_follow_the_language(client, login_as, create_category, language, name):
    create_category("SKADEGORELSE", name_sv="Skadegörelse", name_en="Vandalism")
    client.set_cookie("est_lang", language)
    login_as("admin")
    html = text(client.get("/admin/kategorier/"))
    assert f">{name}</a>" in html


def test_unknown_category_is_404(client, admin):
    assert client.get("/admin/kategorier/9999").status_code == 404
