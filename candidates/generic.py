"""Base views shared by the apps: forms that call a service function about one candidate or record."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView

from cadre_pool.access.declarations import WRITERS, RoleRequiredMixin
from candidates.models import Candidate


class ServiceFormMixin:
    """On a valid form, call `save(form)` (a service call); its ValidationErrors go back onto the form."""

    def form_valid(self, form):
        try:
            self.save(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return super().form_valid(form)

    def save(self, form):
        raise NotImplementedError


class CandidateActionView(RoleRequiredMixin, ServiceFormMixin, FormView):
    """A form that adds a cultivation record to one candidate through a service function."""

    allowed_roles = WRITERS
    template_name = "cadre_pool/form.html"
    title = ""

    @cached_property
    def candidate(self):
        queryset = Candidate.objects.visible_to(self.request.user).select_related("township", "township__parent")
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "candidate": self.candidate}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"{self.title} · {self.candidate.name}", back=self.get_success_url(), **kwargs
        )

    def get_success_url(self):
        return reverse("candidate_file", args=[self.candidate.pk])


def add_service_errors(form, exc: ValidationError) -> None:
    # Service errors name model fields; those not on the form go to the top of it.
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class RecordActionView(RoleRequiredMixin, ServiceFormMixin, FormView):
    """A form that closes one cultivation record (an assignment, a placement, a secondment)."""

    allowed_roles = WRITERS
    template_name = "cadre_pool/form.html"
    model = None
    title = ""

    @cached_property
    def record(self):
        queryset = self.model.objects.visible_to(self.request.user).select_related("candidate")
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"{self.title} · {self.record.candidate.name}", back=self.get_success_url(), **kwargs
        )

    def get_success_url(self):
        return reverse("candidate_file", args=[self.record.candidate_id])
