import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from catalog.models import ProducerMember, ProducerPage, ProvinceOfficer


class Command(BaseCommand):
    help = "Local development only: make sure a superuser exists and print its login."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("ensure_admin only runs with DEBUG on (local development).")
        username = os.environ.get("ADMIN_USERNAME", "admin")
        password = os.environ.get("ADMIN_PASSWORD", "ocop-demo-2026")
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.com"}
        )
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(self.style.SUCCESS(
            f"Admin login: http://127.0.0.1:8000/admin/  user: {username}  password: {password}"
        ))
        self.demo_roles(password)

    def demo_roles(self, password):
        """A province officer and a producer member for the first demo producer, to try the roles."""
        producer = ProducerPage.objects.live().order_by("title").select_related("province").first()
        if producer is None:
            return
        User = get_user_model()
        for username, link in (
            ("canbo", lambda user: ProvinceOfficer.objects.get_or_create(user=user, province=producer.province)),
            ("chuthe", lambda user: ProducerMember.objects.get_or_create(user=user, producer=producer)),
        ):
            user = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.com"})[0]
            user.set_password(password)
            user.save()
            link(user)
        self.stdout.write(
            f"Province officer of {producer.province.name}: canbo / {password};  "
            f"member of {producer.title}: chuthe / {password}"
        )
