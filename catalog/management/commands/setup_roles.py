"""Create or repair the role groups, page and collection permissions and the review workflow."""

from django.core.management.base import BaseCommand

from catalog.permissions import setup_roles


class Command(BaseCommand):
    help = "Tạo/sửa nhóm quyền (chủ thể, cán bộ tỉnh, quản trị quốc gia), quyền trang, bộ sưu tập và quy trình duyệt."

    def handle(self, *args, **options):
        counts = setup_roles()
        self.stdout.write(self.style.SUCCESS(
            f"Roles ready: {counts['producers']} producers, {counts['users']} linked users."))
