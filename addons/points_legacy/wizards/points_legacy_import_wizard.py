import base64
import csv
import io
import re
import uuid
from decimal import Decimal, InvalidOperation

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.points_engine.legacy import MAX_PAYABLE
from odoo.addons.points_pool.keys import idempotency_key

#: Column headers understood, lower-cased (English and Chinese): field -> accepted headers.
HEADERS = {
    "name": {"name", "member", "姓名", "会员姓名", "会员"},
    "phone": {"phone", "mobile", "手机", "手机号", "电话", "联系电话"},
    "email": {"email", "e-mail", "mail", "邮箱", "电子邮件"},
    "legacy_ref": {"legacy id", "legacy_id", "legacy ref", "legacy_ref", "id", "会员编号", "老会员编号", "编号"},
    "amount": {"amount", "payable", "legacy payable", "应付", "应付金额", "应付资产", "金额"},
}
#: Context of the bulk creations: no chatter line nor tracking per imported record.
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True, "mail_notrack": True}


def _bulk_create(Model, vals_list):
    """Creates many records with the model's defaults computed once for all (not once per record)."""
    if not vals_list:
        return Model.browse()
    names = {name for vals in vals_list for name in vals}
    defaults = Model.default_get([name for name, field in Model._fields.items()
                                  if name not in names and (field.store or field.inverse)])
    return Model.create([dict(defaults, **vals) for vals in vals_list])


def _digits(phone):
    return re.sub(r"\D", "", phone or "")


class PointsLegacyImportWizard(models.TransientModel):
    """Imports the members of the former platform with what it owed them: upload, preview, import.

    The preview lists every row with its errors (bad amount, duplicate, unknown or ambiguous
    member, wrong company); the import runs only when no row has one, and then all at once:
    nothing is ever imported in part.
    """

    _name = "points.legacy.import.wizard"
    _description = "Import Legacy Members"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    file = fields.Binary("File", attachment=False, help="CSV (UTF-8) or Excel (.xlsx) file, one member per row.")
    filename = fields.Char()
    counter_account_id = fields.Many2one(
        "account.account", string="Counter-Account", check_company=True,
        default=lambda self: self._default_counter_account(),
        help="Account debited by the imported payables (credited to the legacy payables account), such as the "
             "former platform's liabilities taken over.")
    state = fields.Selection([("upload", "Upload"), ("preview", "Preview"), ("done", "Imported")],
                             default="upload", required=True)
    import_ref = fields.Char("Import", readonly=True)
    line_ids = fields.One2many("points.legacy.import.line", "wizard_id", readonly=True)
    line_count = fields.Integer(compute="_compute_totals", string="Rows")
    error_count = fields.Integer(compute="_compute_totals", string="Rows with Errors")
    create_count = fields.Integer(compute="_compute_totals", string="Members to Create")
    total_amount = fields.Monetary(compute="_compute_totals", string="Total Payable")

    @api.model
    def _default_counter_account(self):
        pool = self.env["points.pool"].sudo().search([("company_id", "=", self.env.company.id)], limit=1)
        return pool.legacy_counter_account_id

    @api.depends("line_ids.error", "line_ids.amount", "line_ids.partner_id")
    def _compute_totals(self):
        for wizard in self:
            lines = wizard.line_ids
            wizard.line_count = len(lines)
            wizard.error_count = len(lines.filtered("error"))
            wizard.create_count = len(lines.filtered(lambda line: not line.partner_id and not line.error))
            wizard.total_amount = sum(lines.mapped("amount"))

    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group("points_pool.group_points_manager"):
            raise AccessError(_("Only a Points Manager may import legacy members."))
        if self.company_id not in self.env.user.company_ids:
            raise AccessError(_("You cannot import members into %s.", self.company_id.name))

    # -- reading the file --------------------------------------------------------------------
    def _read_rows(self):
        """The file's rows as lists of strings, the header first."""
        if not self.file:
            raise UserError(_("Choose the file to import."))
        data = base64.b64decode(self.file)
        if data[:2] == b"PK" or (self.filename or "").lower().endswith(".xlsx"):
            return self._read_xlsx(data)
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise UserError(_("The file is neither UTF-8 nor GB18030 text, nor an Excel (.xlsx) file."))
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]

    def _read_xlsx(self, data):
        import openpyxl  # noqa: PLC0415 (only for Excel files)

        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # noqa: BLE001 (any unreadable file is the user's error)
            raise UserError(_("The Excel file cannot be read: %s", error)) from error
        sheet = book.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(["" if value is None else (str(value) if not isinstance(value, float) or not value.is_integer()
                                                   else str(int(value))).strip() for value in values])
        return rows

    def _columns(self, header):
        """``{field: column index}`` from the header row; UserError when the file lacks what the import needs."""
        columns = {}
        for index, title in enumerate(header):
            for name, accepted in HEADERS.items():
                if title.strip().lower() in accepted and name not in columns:
                    columns[name] = index
        if "amount" not in columns:
            raise UserError(_("The file has no amount column (amount, payable, 应付金额)."))
        if not {"phone", "email", "legacy_ref"} & set(columns):
            raise UserError(_("The file needs a phone, email or legacy ID column to recognise the members."))
        return columns

    # -- preview -------------------------------------------------------------------------------
    def action_preview(self):
        """Reads the file and lists its rows with what the import would do and the errors found."""
        self.ensure_one()
        self._check_manager()
        rows = self._read_rows()
        rows = [row for row in rows if any(row)]
        if len(rows) < 2:
            raise UserError(_("The file has no member rows under its header."))
        columns = self._columns(rows[0])

        def cell(row, name):
            index = columns.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        values = [{
            "sequence": number, "name": cell(row, "name"), "phone": cell(row, "phone"),
            "email": cell(row, "email").lower(), "legacy_ref": cell(row, "legacy_ref"),
            "raw_amount": cell(row, "amount"),
        } for number, row in enumerate(rows[1:], start=2)]
        self._check_values(values)
        self.line_ids.unlink()
        self.env["points.legacy.import.line"].create([dict(value, wizard_id=self.id) for value in values])
        self.write({"state": "preview", "import_ref": self.import_ref or self._new_import_ref()})
        return self._reopen()

    def _new_import_ref(self):
        return "%s %s" % (self.filename or _("Import"), uuid.uuid4().hex[:8])

    def _check_values(self, values):
        """Fills each row's ``amount``, ``partner_id`` and ``error`` (all rows at once: a few queries in all)."""
        pool = self.env["points.pool"].sudo()._get_for_company(self.company_id)
        digits = self.currency_id.decimal_places
        seen = {}
        labels = {"legacy_ref": _("legacy ID"), "email": _("email"), "phone": _("phone")}
        refs = {value["legacy_ref"] for value in values if value["legacy_ref"]}
        imported_refs = set(self.env["points.legacy.member"].sudo().search(
            [("pool_id", "=", pool.id), ("legacy_ref", "in", list(refs))]).mapped("legacy_ref")) if refs else set()
        matches = self._match_partners(values)
        imported_partners = set(self.env["points.legacy.member"].sudo().search(
            [("pool_id", "=", pool.id), ("partner_id", "in", list({p for found in matches for p in found}))]
        ).partner_id.ids)
        partners = self.env["res.partner"].sudo().browse({p for found in matches for p in found})
        info = {partner.id: partner for partner in partners}
        for value, found in zip(values, matches):
            errors = []
            raw = value.pop("raw_amount").replace(",", "").replace("¥", "").replace("￥", "").strip()
            try:
                amount = Decimal(raw)
                if not amount.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                amount = None
                errors.append(_("Bad amount: %s is not a number.", raw or _("(empty)")))
            if amount is not None:
                if amount <= 0:
                    errors.append(_("Bad amount: the payable must be positive, not %s.", raw))
                elif amount > MAX_PAYABLE:
                    errors.append(_("Bad amount: %s is more than a payable can be.", raw))
                elif amount != amount.quantize(Decimal(1).scaleb(-digits)):
                    errors.append(_("Bad amount: %(amount)s has more than %(digits)s decimals.", amount=raw,
                                    digits=digits))
            value["amount"] = float(amount) if amount is not None and abs(amount) <= MAX_PAYABLE else 0.0
            for name, key in (("legacy_ref", value["legacy_ref"]), ("email", value["email"]),
                              ("phone", _digits(value["phone"]))):
                if key:
                    first = seen.setdefault((name, key), value["sequence"])
                    if first != value["sequence"]:
                        errors.append(_("Duplicate: the same %(what)s as row %(row)s.",
                                        what=labels[name], row=first))
            if value["legacy_ref"] in imported_refs:
                errors.append(_("Duplicate: legacy ID %s was imported already.", value["legacy_ref"]))
            if not (value["legacy_ref"] or value["email"] or value["phone"]):
                errors.append(_("Unknown member: the row has no phone, email nor legacy ID."))
            value["partner_id"] = False
            if len(found) > 1:
                errors.append(_("Ambiguous member: %s match the phone or email.",
                                ", ".join(info[p].display_name for p in sorted(found))))
            elif found:
                partner = info[next(iter(found))]
                refusal = self._partner_refusal(partner)
                if refusal:
                    errors.append(refusal)
                elif partner.id in imported_partners:
                    errors.append(_("Duplicate: %s was imported already.", partner.display_name))
                value["partner_id"] = partner.id
            elif not value["name"]:
                errors.append(_("Unknown member: no contact matches the row and it has no name to create one."))
            value["error"] = "\n".join(errors) or False

    def _partner_refusal(self, partner):
        """Why a matching contact cannot become this company's legacy member, or False."""
        if partner.company_id and partner.company_id != self.company_id:
            return _("Wrong company: %(partner)s belongs to %(company)s.", partner=partner.display_name,
                     company=partner.company_id.name)
        if partner.is_company or partner.parent_id:
            return _("Not a person: %s is a company or one of its contacts.", partner.display_name)
        wallet = self.env["points.wallet"].sudo()._get_for_partner(partner, self.company_id, create=False)
        if wallet.state == "blocked":
            return _("%s's wallet is blocked.", partner.display_name)
        return False

    def _match_partners(self, values):
        """For each row, the ids of the active contacts its email or phone names (one query for all rows)."""
        emails = list({value["email"] for value in values if value["email"]})
        phones = list({_digits(value["phone"]) for value in values if _digits(value["phone"])})
        by_email, by_phone = {}, {}
        if emails or phones:
            self.env.flush_all()
            self.env.cr.execute(SQL(
                """SELECT id, lower(email), regexp_replace(COALESCE(phone, ''), '\\D', '', 'g'),
                          regexp_replace(COALESCE(mobile, ''), '\\D', '', 'g')
                     FROM res_partner
                    WHERE active AND (lower(email) = ANY(%s)
                          OR regexp_replace(COALESCE(phone, ''), '\\D', '', 'g') = ANY(%s)
                          OR regexp_replace(COALESCE(mobile, ''), '\\D', '', 'g') = ANY(%s))""",
                emails, phones, phones))
            for partner_id, email, phone, mobile in self.env.cr.fetchall():
                if email:
                    by_email.setdefault(email, set()).add(partner_id)
                for number in (phone, mobile):
                    if number:
                        by_phone.setdefault(number, set()).add(partner_id)
        refs = {value["legacy_ref"] for value in values if value["legacy_ref"]}
        by_ref = {}
        if refs:
            for member in self.env["points.legacy.member"].sudo().search(
                    [("company_id", "=", self.company_id.id), ("legacy_ref", "in", list(refs))]):
                by_ref[member.legacy_ref] = {member.partner_id.id}
        return [by_ref.get(value["legacy_ref"], set()) | by_email.get(value["email"], set())
                | by_phone.get(_digits(value["phone"]), set()) for value in values]

    # -- import ------------------------------------------------------------------------------
    def action_import(self):
        """Imports every row at once (members, wallets, payables), or nothing when a row has an error."""
        self.ensure_one()
        self._check_manager()
        if self.state != "preview" or not self.line_ids:
            raise UserError(_("Preview the file before importing it."))
        if self.line_ids.filtered("error"):
            raise UserError(_("%s rows have errors: correct the file and preview it again. Nothing was imported.",
                              self.error_count))
        if not self.counter_account_id:
            raise UserError(_("Choose the counter-account of the imported payables."))
        if self.counter_account_id.company_ids and self.company_id not in self.counter_account_id.company_ids:
            raise UserError(_("The account %s does not belong to the company.", self.counter_account_id.display_name))
        # The file may have changed meanwhile (another import, new contacts): check the rows again.
        values = [{"sequence": line.sequence, "name": line.name, "phone": line.phone, "email": line.email,
                   "legacy_ref": line.legacy_ref, "raw_amount": str(line.amount)} for line in self.line_ids]
        self._check_values(values)
        if any(value["error"] for value in values):
            raise UserError(_("Rows changed since the preview have errors: preview the file again. Nothing was "
                              "imported."))
        pool = self.env["points.pool"].sudo()._get_for_company(self.company_id)
        members = self._create_members(pool, values)
        request = pool._legacy_import(members, self.counter_account_id, key=idempotency_key("legacy_import", self.import_ref))
        pool._apply_pending()
        request._check_applied()
        self.state = "done"
        staff = pool._points_in_staff_lang()
        staff.message_post(body=staff.env._("%(count)s legacy members imported (%(ref)s).", count=len(members),
                                            ref=self.import_ref))
        action = self.env["ir.actions.act_window"]._for_xml_id("points_legacy.points_legacy_member_action")
        action["domain"] = [("import_ref", "=", self.import_ref)]
        return action

    def _create_members(self, pool, values):
        """Partners (those to create), wallets and legacy members of ``values``, in bulk; returns the members."""
        env = self.with_context(**QUIET).sudo().env
        to_create = [value for value in values if not value["partner_id"]]
        created = _bulk_create(env["res.partner"], [{
            "name": value["name"], "phone": value["phone"] or False, "email": value["email"] or False,
            "company_id": self.company_id.id,
        } for value in to_create])
        for value, partner in zip(to_create, created):
            value["partner_id"] = partner.id
        partner_ids = [value["partner_id"] for value in values]
        wallets = {wallet.partner_id.id: wallet for wallet in env["points.wallet"].search(
            [("pool_id", "=", pool.id), ("partner_id", "in", partner_ids)])}
        missing = [partner_id for partner_id in partner_ids if partner_id not in wallets]
        for wallet in _bulk_create(env["points.wallet"], [{"partner_id": partner_id, "pool_id": pool.id}
                                                          for partner_id in missing]):
            wallets[wallet.partner_id.id] = wallet
        return _bulk_create(env["points.legacy.member"], [{
            "pool_id": pool.id, "partner_id": value["partner_id"], "wallet_id": wallets[value["partner_id"]].id,
            "legacy_ref": value["legacy_ref"] or False, "payable": value["amount"], "import_ref": self.import_ref,
        } for value in values])

    def action_back(self):
        self.ensure_one()
        self._check_manager()
        self.line_ids.unlink()
        self.state = "upload"
        return self._reopen()

    def _reopen(self):
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id, "view_mode": "form",
                "views": [(False, "form")], "target": "new", "name": _("Import Legacy Members")}


class PointsLegacyImportLine(models.TransientModel):
    """A row of the imported file, as the preview shows it."""

    _name = "points.legacy.import.line"
    _description = "Legacy Member Import Row"
    _order = "sequence"

    wizard_id = fields.Many2one("points.legacy.import.wizard", required=True, ondelete="cascade", index=True)
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    sequence = fields.Integer("Row")
    name = fields.Char()
    phone = fields.Char()
    email = fields.Char()
    legacy_ref = fields.Char("Legacy ID")
    amount = fields.Monetary("Payable")
    partner_id = fields.Many2one("res.partner", "Matched Contact", help="Empty: a contact is created.")
    error = fields.Text()
