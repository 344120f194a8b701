import base64
import csv
import io

HEADER = ("name", "phone", "email", "legacy_id", "amount")


def legacy_file(rows, header=HEADER):
    """A CSV file of legacy members (base64, as the wizard's upload field holds it)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return base64.b64encode(buffer.getvalue().encode())


class LegacyImportMixin:
    """Imports legacy members through the import wizard (upload, preview, import)."""

    @classmethod
    def legacy_preview(cls, rows, company=None, data=None, filename="members.csv"):
        company = company or cls.company
        pool = cls.env["points.pool"]._get_for_company(company)
        wizard = cls.env["points.legacy.import.wizard"].with_company(company).create({
            "company_id": company.id, "file": data or legacy_file(rows), "filename": filename,
            "counter_account_id": pool.injection_account_id.id,
        })
        wizard.action_preview()
        return wizard

    @classmethod
    def legacy_import(cls, rows, **kwargs):
        wizard = cls.legacy_preview(rows, **kwargs)
        wizard.action_import()
        return cls.env["points.legacy.member"].search([("import_ref", "=", wizard.import_ref)])
