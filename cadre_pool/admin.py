from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm, UserChangeForm
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from cadre_pool import audit
from cadre_pool.accounts.auth import unlock
from cadre_pool.forms import HygienicModelForm, TextHygieneMixin
from cadre_pool.models import (
    AuditAction,
    CodeSynonym,
    Degree,
    Education,
    Ethnicity,
    Gender,
    HealthStatus,
    LoginLock,
    OrgUnit,
    OTPDevice,
    PoliticalStatus,
    RecoveryCode,
    Role,
    User,
)


class RoleScopedAdmin(admin.ModelAdmin):
    """Admin permissions by role, and rows through the model's `visible_to` scope."""

    form = HygienicModelForm
    view_roles: frozenset = frozenset({Role.SYSTEM_ADMIN})
    change_roles: frozenset = frozenset({Role.SYSTEM_ADMIN})
    can_add = True
    can_delete = False

    def _has_role(self, request, roles) -> bool:
        return request.user.is_active and request.user.role in roles

    def has_module_permission(self, request):
        return self._has_role(request, self.view_roles | self.change_roles)

    def has_view_permission(self, request, obj=None):
        return self._has_role(request, self.view_roles | self.change_roles)

    def has_change_permission(self, request, obj=None):
        return self._has_role(request, self.change_roles)

    def has_add_permission(self, request):
        return self.can_add and self._has_role(request, self.change_roles)

    def has_delete_permission(self, request, obj=None):
        return self.can_delete and self._has_role(request, self.change_roles)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scope = getattr(queryset, "visible_to", None)
        return scope(request.user) if scope else queryset

    def get_object(self, request, object_id, from_field=None):
        # Out of scope is 404 on every page (S6); the admin would redirect with "does not exist".
        found = super().get_object(request, object_id, from_field)
        if found is None:
            raise Http404
        return found


@admin.register(OrgUnit)
class OrgUnitAdmin(RoleScopedAdmin):
    list_display = ["code", "name", "short_name", "level", "parent", "is_model_village", "is_star_village", "active"]
    list_filter = ["level", "is_model_village", "is_star_village", "active"]
    list_editable = ["is_model_village", "is_star_village"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]
    readonly_fields = ["path"]

    def save_model(self, request, obj, form, change):
        obj.path = obj.compute_path()
        super().save_model(request, obj, form, change)


class AdminSetPasswordMixin:
    """A password an administrator types is known to two people: its owner must replace it (S2)."""

    def save(self, commit=True):
        user = super().save(commit=False)
        user.must_change_password = True
        if commit:
            user.save()
        return user


class UserCreationForm(TextHygieneMixin, AdminSetPasswordMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ["username", "full_name", "role", "unit"]


class PasswordResetByAdminForm(AdminSetPasswordMixin, AdminPasswordChangeForm):
    pass


class UserEditForm(TextHygieneMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


@admin.register(User)
class UserAdmin(RoleScopedAdmin, BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    change_password_form = PasswordResetByAdminForm
    list_display = ["username", "full_name", "role", "unit", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name", "unit__name"]
    list_select_related = ["unit"]
    raw_id_fields = ["unit"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["full_name", "email"]}),
        (_("Role and scope"), {"fields": ["role", "unit", "is_active", "must_change_password"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "full_name", "role", "unit", "password1", "password2"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]


class CodeTableAdmin(RoleScopedAdmin):
    list_display = ["code", "name", "short_name", "parent", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["parent"]


for code_model in (Gender, Ethnicity, PoliticalStatus, Education, Degree, HealthStatus):
    admin.site.register(code_model, CodeTableAdmin)


@admin.register(CodeSynonym)
class CodeSynonymAdmin(RoleScopedAdmin):
    """The short and common names that imports accept for code-table values."""

    list_display = ["synonym", "table", "code"]
    list_filter = ["table"]
    search_fields = ["synonym", "code"]
    can_delete = True


@admin.register(LoginLock)
class LoginLockAdmin(RoleScopedAdmin):
    """Failed sign-ins per username; the system administrator unlocks a locked account here (S3)."""

    list_display = ["username", "failures", "last_failure_at", "locked_until", "is_locked"]
    search_fields = ["username"]
    readonly_fields = ["username", "failures", "last_failure_at", "locked_until"]
    actions = ["unlock_selected"]
    can_add = False

    @admin.action(description=_("Unlock the selected accounts"))
    def unlock_selected(self, request, queryset):
        count = unlock(list(queryset), request=request)
        self.message_user(request, _("%(count)d account(s) unlocked.") % {"count": count}, messages.SUCCESS)


@admin.register(OTPDevice)
class OTPDeviceAdmin(RoleScopedAdmin):
    """The system administrator removes a lost authenticator; the user enrols again at the next sign-in."""

    list_display = ["user", "confirmed_at", "created_at"]
    search_fields = ["user__username", "user__full_name"]
    list_select_related = ["user"]
    fields = ["user", "confirmed_at", "created_at"]
    readonly_fields = ["user", "confirmed_at", "created_at"]
    can_add = False
    can_delete = True

    def delete_model(self, request, obj):
        audit.record(request, action=AuditAction.OTP_REMOVE, obj=obj.user)
        RecoveryCode.objects.filter(user=obj.user).delete()
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for device in queryset.select_related("user"):
            self.delete_model(request, device)
