import base64
import io

import openpyxl

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.points_pool.tests.common import PointsCase

from .common import LegacyImportMixin, legacy_file


@tagged("post_install", "-at_install")
class TestLegacyImport(LegacyImportMixin, PointsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member1.write({"email": "one@example.com", "phone": "+86 138-0000-0001"})
        cls.member2.write({"phone": "13800000002"})
        cls.member3.write({"phone": "138 0000 0002"})  # the same number as member 2: ambiguous
        cls.other_company = cls.env["res.company"].create({"name": "Other Co"})
        cls.outsider = cls.env["res.partner"].create({"name": "Outsider", "email": "out@example.com",
                                                      "company_id": cls.other_company.id})

    def legacy_members(self):
        return self.env["points.legacy.member"].search([("pool_id", "=", self.pool.id)])

    def test_preview_reports_each_bad_row_and_import_imports_nothing(self):
        before = self.snapshot()
        wizard = self.legacy_preview([
            ("Good", "13900000001", "", "L1", "100.00"),
            ("Bad amount", "13900000002", "", "L2", "abc"),
            ("Negative", "13900000003", "", "L3", "-5"),
            ("Too fine", "13900000004", "", "L4", "1.234"),
            ("Duplicate", "13900000005", "", "L1", "10"),
            ("Ambiguous", "13800000002", "", "L6", "10"),
            ("Wrong company", "", "out@example.com", "L7", "10"),
            ("", "13900000008", "", "L8", "10"),
            ("No identity", "", "", "", "10"),
        ])
        errors = {line.sequence: line.error or "" for line in wizard.line_ids}
        self.assertEqual(wizard.line_count, 9)
        self.assertFalse(errors[2])
        self.assertIn("Bad amount: abc is not a number", errors[3])
        self.assertIn("must be positive", errors[4])
        self.assertIn("more than 2 decimals", errors[5])
        self.assertIn("Duplicate: the same legacy ID as row 2", errors[6])
        self.assertIn("Ambiguous member", errors[7])
        self.assertIn("Wrong company: Outsider belongs to Other Co", errors[8])
        self.assertIn("Unknown member", errors[9])
        self.assertIn("no phone, email nor legacy ID", errors[10])
        self.assertEqual(wizard.error_count, 8)
        with self.assertRaisesRegex(UserError, "8 rows have errors"):
            wizard.action_import()
        self.assertEqual(self.snapshot(), before)
        self.assertFalse(self.legacy_members())
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Good")]))

    def test_good_import_matches_or_creates_members_and_posts_the_liability(self):
        form = Form(self.env["points.legacy.import.wizard"])
        form.file = legacy_file([
            ("Member One", "", "ONE@example.com", "A-1", "1,000.50"),
            ("Member Two", "", "", "A-2", "abc"),
        ])
        form.counter_account_id = self.pool.injection_account_id
        wizard = form.save()
        wizard.action_preview()
        self.assertEqual(wizard.error_count, 1)
        wizard.action_back()
        wizard.file = legacy_file([
            ("Member One", "", "ONE@example.com", "A-1", "1,000.50"),
            ("New Member", "139 0000 0009", "new@example.com", "A-2", "250"),
        ])
        wizard.action_preview()
        self.assertEqual((wizard.error_count, wizard.create_count, wizard.total_amount), (0, 1, 1250.5))
        wizard.action_import()
        members = self.legacy_members()
        self.assertEqual(len(members), 2)
        one = members.filtered(lambda member: member.partner_id == self.member1)
        new = members - one
        self.assertEqual((one.legacy_ref, one.payable, one.balance), ("A-1", 1000.5, 1000.5))
        self.assertEqual((new.partner_id.name, new.partner_id.email, new.partner_id.company_id),
                         ("New Member", "new@example.com", self.company))
        self.assertTrue(new.partner_id._is_points_member(self.company), "a wallet makes them members")
        rows = self.env["points.ledger"].search([("pool_id", "=", self.pool.id), ("event", "=", "legacy_import")])
        self.assertEqual(sorted(rows.mapped("legacy_delta")), [250.0, 1000.5])
        self.assertEqual(self.pool.legacy_balance, 1250.5)
        self.assertEqual(-self.pool._account_balance(self.pool.legacy_account_id), 1250.5)
        self.assertEqual(self.pool._account_balance(self.pool.injection_account_id), 1250.5)
        self.assertEqual(self.pool.balance, 0.0, "the pool's money did not move")
        section = {s["key"]: s for s in self.pool._reconciliation_sections()}["legacy"]
        self.assertEqual([value for _label, value in section["figures"]], [1250.5, 1250.5])
        self.assertNoBreach()
        # Importing the same people again is refused row by row.
        again = self.legacy_preview([("Member One", "", "one@example.com", "A-9", "5")])
        self.assertIn("imported already", again.line_ids.error)

    def test_excel_file_with_chinese_headers(self):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["姓名", "手机", "会员编号", "应付金额"])
        sheet.append(["张三", 13900000011, "X-1", 88.8])
        sheet.append(["李四", "13900000012", "X-2", 100])
        buffer = io.BytesIO()
        book.save(buffer)
        members = self.legacy_import([], data=base64.b64encode(buffer.getvalue()), filename="members.xlsx")
        self.assertEqual(sorted(members.mapped("payable")), [88.8, 100.0])
        self.assertEqual(sorted(members.partner_id.mapped("phone")), ["13900000011", "13900000012"])
        self.assertNoBreach()

    def test_file_without_amount_column_is_refused(self):
        with self.assertRaisesRegex(UserError, "no amount column"):
            self.legacy_preview([("A", "1")], data=legacy_file([("A", "1")], header=("name", "phone")))

    def test_only_points_managers_import(self):
        portal = new_test_user(self.env, "legacy_portal", groups="base.group_portal", company_id=self.company.id)
        user = new_test_user(self.env, "legacy_user", groups="base.group_user,points_pool.group_points_user",
                             company_id=self.company.id, company_ids=[self.company.id])
        for person in (portal, user):
            with self.assertRaises(AccessError):
                self.env["points.legacy.import.wizard"].with_user(person).create({
                    "company_id": self.company.id, "file": legacy_file([("A", "1", "", "Z", "5")])})
        wizard = self.legacy_preview([("A", "13900000021", "", "Z", "5")])
        with self.assertRaises(AccessError):
            wizard.with_user(user).action_import()
        self.assertFalse(self.legacy_members())
        # Portal members read their own figures only.
        self.assertFalse(self.env["points.legacy.report"].with_user(portal).search([]))

    def test_release_settings_are_checked(self):
        with self.assertRaises(ValidationError):
            self.pool.legacy_release_rate = 1.5
        with self.assertRaises(ValidationError):
            self.pool.legacy_release_threshold = -1
