from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from outbox import services
from outbox.models import Notice, OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["created", "kind", "recipients", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["subject", "to"]
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]
    actions = ["retry"]

    @admin.display(description=_("aan"))
    def recipients(self, obj: OutgoingEmail) -> str:
        return ", ".join(obj.to)

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Opnieuw versturen"))
    def retry(self, request, queryset):
        count = 0
        for email in queryset.exclude(status=OutgoingEmail.Status.SENT):
            services.email_retry(email=email)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%d e-mail opnieuw in de wachtrij.", "%d e-mails opnieuw in de wachtrij.", count
            )
            % count,
            messages.SUCCESS,
        )


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["created", "kind", "key", "email"]
    list_filter = ["kind"]
    search_fields = ["key"]
    readonly_fields = ["kind", "key", "email", "created"]

    def has_add_permission(self, request) -> bool:
        return False
