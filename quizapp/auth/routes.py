"""Instructor log in, log out and password change."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .forms import ChangePasswordForm, LoginForm
from .identity import sign_in, sign_out_everywhere
from .service import AccountError, attempt_login, change_password

blueprint = Blueprint("auth", __name__)


def safe_next(target: str | None, default: str) -> str:
    """Follow a 'next' only to a path on this site (never to another host or scheme)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        result = attempt_login(form.email.data, form.password.data, request.remote_addr or "unknown")
        if result.instructor is not None:
            sign_in(result.instructor)
            return redirect(safe_next(request.args.get("next"), url_for("instructor.home")))
        if result.locked_seconds:
            minutes = max(1, round(result.locked_seconds / 60))
            message = (
                f"Too many failed log-ins for this account from your network. "
                f"Wait {minutes} minute{'s' if minutes != 1 else ''}, then try again."
            )
            return (
                render_template("auth/login.html", form=form, error=message),
                429,
                {"Retry-After": str(result.locked_seconds)},
            )
        return render_template("auth/login.html", form=form, error="That email and password do not match."), 200
    return render_template("auth/login.html", form=form, error=None)


@blueprint.post("/logout")
def logout():
    if current_user.is_authenticated:
        sign_out_everywhere(current_user)
    flash("You are logged out.", "success")
    return redirect(url_for("reading.index"))


@blueprint.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    if current_user.role != "instructor":
        abort(404)
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current_password.data, form.new_password.data)
        except AccountError as error:
            form.current_password.errors.append(str(error))
        else:
            flash("Password changed. Every session was signed out; log in with the new password.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/password.html", form=form)
