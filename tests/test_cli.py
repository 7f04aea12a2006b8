"""The `writecarenotes` command: createadmin and demo (the services command is tested elsewhere)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests import factories as f
from writecarenotes import cli
from writecarenotes.demo.admin import create_provider_admin
from writecarenotes.demo.build import DEMO_PASSWORD
from writecarenotes.platform.identity.models import Membership, User
from writecarenotes.platform.tenancy.models import Organisation

GOOD_PASSWORD = "lantern-orchard-wheelbarrow"  # noqa: S105


def _createadmin(
    monkeypatch, *, email="owner@meadow.example.org", name="Nadia Owner", org="Meadow Care", password=None
):
    monkeypatch.setenv("WCN_ADMIN_PASSWORD", GOOD_PASSWORD if password is None else password)
    return cli.main(["createadmin", "--email", email, "--name", name, "--organisation", org])


def test_createadmin_creates_the_organisation_and_its_provider_admin(db, monkeypatch, capsys):
    assert _createadmin(monkeypatch, email="Owner@Meadow.example.org") == 0
    assert "Created provider admin owner@meadow.example.org for Meadow Care." in capsys.readouterr().out
    user = User.objects.get(email="owner@meadow.example.org")
    assert user.full_name == "Nadia Owner"
    assert user.password.startswith("argon2") and GOOD_PASSWORD not in user.password
    membership = Membership.objects.get(user=user)
    assert membership.role == "provider_admin"
    assert membership.home is None  # the whole organisation
    assert membership.organisation.name == "Meadow Care"
    assert membership.organisation.slug == "meadow-care"
    # and the admin can log in with the password
    r = Client().post("/account/login/", {"username": "owner@meadow.example.org", "password": GOOD_PASSWORD})
    assert r.status_code == 302


def test_createadmin_takes_the_password_from_the_option_too(db, capsys):
    argv = ["createadmin", "--email", "a@b.example.org", "--name", "A B", "--organisation", "Org", "--password"]
    assert cli.main([*argv, GOOD_PASSWORD]) == 0
    assert User.objects.get(email="a@b.example.org").check_password(GOOD_PASSWORD)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"password": "short-pw"}, "This password is too short. It must contain at least 12 characters."),
        ({"password": "password1234"}, "This password is too common."),
        ({"password": "739201846573"}, "This password is entirely numeric."),
        ({"password": "owner@meadow.example.org"}, "The password is too similar to the e-mail address."),
        ({"name": "   "}, "The admin's full name is required."),
        ({"org": ""}, "The organisation's name is required."),
        ({"email": "not-an-email"}, "“not-an-email” is not a valid e-mail address."),
        ({"email": ""}, "An e-mail address is required."),
    ],
)
def test_createadmin_refuses_bad_input_with_a_clear_message(db, monkeypatch, capsys, kwargs, message):
    assert _createadmin(monkeypatch, **kwargs) == 2
    err = capsys.readouterr().err
    assert f"error: {message}" in err
    assert User.objects.count() == 0
    assert Organisation.objects.count() == 0


def test_createadmin_refuses_an_email_already_used(db, monkeypatch, capsys):
    f.user("owner@meadow.example.org")
    assert _createadmin(monkeypatch, email="OWNER@meadow.example.org") == 2
    assert "error: A user with the e-mail address owner@meadow.example.org already exists." in capsys.readouterr().err
    assert Organisation.objects.count() == 0


def test_createadmin_refuses_an_organisation_name_already_used(db, monkeypatch, capsys):
    f.organisation("Meadow Care")
    assert _createadmin(monkeypatch, org="meadow care") == 2
    assert "error: An organisation called meadow care already exists." in capsys.readouterr().err
    assert not User.objects.exists()


def test_create_provider_admin_names_every_problem_by_field(db):
    with pytest.raises(ValidationError) as exc:
        create_provider_admin(email="", full_name="", organisation_name="", password="abc")
    errors = exc.value.message_dict
    assert set(errors) == {"email", "full_name", "organisation", "password"}
    assert "This password is too short. It must contain at least 12 characters." in errors["password"]


def test_two_organisations_with_similar_names_get_distinct_slugs(db):
    create_provider_admin("a@one.example.org", "A One", "Tŷ Gwyn Care", GOOD_PASSWORD)
    create_provider_admin("b@two.example.org", "B Two", "Ty Gwyn Care!", GOOD_PASSWORD)
    assert sorted(Organisation.objects.values_list("slug", flat=True)) == ["ty-gwyn-care", "ty-gwyn-care-2"]


def test_demo_command_builds_then_leaves_alone_then_resets(db, capsys, monkeypatch):
    from writecarenotes.demo import build

    # the command, not the weeks of history (those: test_demo.py's full_demo test, on SQLite)
    monkeypatch.setattr(build, "DEMO_SEEDS", [])
    monkeypatch.setattr(build, "CARE_RECORD_DAYS", 2)
    assert cli.main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Built the demo organisation Bryn & Oak Care Group." in out
    assert "rm.oak@demo.example.org" in out and DEMO_PASSWORD in out
    org_id = Organisation.objects.get().pk

    assert cli.main(["demo"]) == 0
    assert "already there" in capsys.readouterr().out
    assert Organisation.objects.get().pk == org_id

    assert cli.main(["demo", "--reset"]) == 0
    assert "Built the demo organisation" in capsys.readouterr().out
    assert Organisation.objects.get().pk != org_id
