"""Field types of the points suite."""

from odoo import fields
from odoo.tools import SQL


class LooseMany2one(fields.Many2one):
    """A Many2one without a foreign-key constraint, for rows callers insert under load.

    Under REPEATABLE READ, inserting a row whose foreign key points at a row that another
    transaction changed and committed since this one began fails with a serialization
    error (the key check locks the referenced row). Requests name wallets and members that
    the pool's sequencer rewrites all the time, so their references are checked by the
    code that creates them instead. The sequencer's bulk insert of ledger rows uses it too:
    a key check per row and per reference took two thirds of the insert's time. What a real
    key would guarantee is kept by the code instead: the referenced wallets and members are
    never deleted while rows name them (``@api.ondelete`` guards), and merging partners
    re-points these columns like Odoo's merge wizard re-points real foreign keys
    (:func:`loose_references`).
    """

    def update_db_foreign_key(self, model, column):
        return


def loose_references(env, comodel):
    """``[(table, column)]`` of every stored :class:`LooseMany2one` of the registry pointing at ``comodel``."""
    return sorted({
        (model._table, field.name)
        for model in env.registry.values() if not model._abstract and model._auto
        for field in model._fields.values()
        if isinstance(field, LooseMany2one) and field.store and field.comodel_name == comodel
        and field.model_name == model._name
    })


def loose_referrer(records):
    """The name of a model whose rows name one of ``records`` through a :class:`LooseMany2one`, or None.

    Stands in for ``ondelete="restrict"``: callers refuse to delete records still named.
    """
    if not records:
        return None
    env = records.env
    for table, column in loose_references(env, records._name):
        env.cr.execute(SQL("SELECT 1 FROM %s WHERE %s = ANY(%s) LIMIT 1",
                           SQL.identifier(table), SQL.identifier(column), list(records.ids)))
        if env.cr.rowcount:
            return next(name for name, model in env.registry.items() if model._table == table and not model._abstract)
    return None
