"""The organisation in the administration: to look at, not to change. Changes go through the
import and the HR pages, which keep the history, the tree and the audit trail right."""

from django.contrib import admin

from samtale.lib.admin import ReadOnlyAdmin
from samtale.org.models import ImportRun, Person, PlacementChange, Role, Unit


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "parent", "leader", "depth"]
    search_fields = ["code", "name"]
    list_select_related = ["parent", "leader"]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["employee_number", "name", "email", "unit", "employment_type", "end_date"]
    list_filter = ["employment_type"]
    search_fields = ["employee_number", "name", "email"]
    list_select_related = ["unit"]
    exclude = ["eligibility_override_reason"]


@admin.register(Role)
class RoleAdmin(ReadOnlyAdmin):
    list_display = ["person", "kind", "region"]
    list_filter = ["kind"]
    list_select_related = ["person"]


@admin.register(PlacementChange)
class PlacementChangeAdmin(ReadOnlyAdmin):
    list_display = ["changed_at", "person", "field", "old_label", "new_label", "source"]
    list_filter = ["field", "source"]
    list_select_related = ["person"]


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "file_name", "status", "created_by", "applied_at"]
    exclude = ["content", "preview", "errors"]
