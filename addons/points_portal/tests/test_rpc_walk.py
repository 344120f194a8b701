import inspect

from odoo.service.model import get_public_method
from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .common import PortalHttpCase

SUITE = "odoo.addons.points_"

#: ORM methods a module overrides: the model's access rights and record rules decide before the override acts
#: (tests/test_access_rpc and each module's access tests cover them); the walk calls business methods.
ORM_METHODS = {"create", "write", "unlink", "copy_data", "init", "hierarchy_read"}

#: Methods that only return a window action (or a report action) to open: what they open stays behind the
#: model's access rights and record rules. The walk calls them and only checks that they change nothing.
NAVIGATION = {
    "action_open_wallets", "action_open_ledger", "action_open_requests", "action_open_price_graph",
    "action_open_source", "action_open_points_wallets", "action_sell_points", "action_open_rebate_queue",
    "action_open_rebate_inject", "action_open_members", "action_open_referral_bind_wizard",
    "action_open_rank_set_wizard", "action_open_team", "action_open_team_list", "action_open_depth_limit_wizard",
    "action_open_rewards", "action_open_dividend_close", "action_open_reward_statement", "action_points_pay",
    "action_open_flow_graph", "action_open_cohort_graph", "action_request_withdrawal", "action_transfer",
    "action_open_withdrawals", "action_open_reject_wizard", "action_open_payment", "action_open_agents",
}

#: What a caller who is not a manager may do, with the reason; anything else acting must raise AccessError.
#: ``member``: a portal member on their own records only (the walk passes another member's records, so even
#: these refuse); ``user``: a Points User (not a manager).
ALLOWED = {
    ("points.pool", "contribute"): ("user", "channels record paid orders for their buyers"),
    ("points.pool", "sell"): ("user", "Points Users sell for a member; members sell their own points"),
    ("points.pool", "redeem"): ("user", "Points Users take points as payment; members pay with their own"),
    ("points.pool", "reverse"): ("user", "channels reverse the contribution of a refunded order"),
    ("points.pool", "restore"): ("user", "channels give back as points what points paid of a refunded order"),
    ("points.pool", "action_check_integrity"): ("user", "Points Users run the integrity check (read only)"),
    ("points.integrity.check", "action_run"): ("user", "the integrity check reads and reports"),
    ("points.sell.wizard", "action_sell"): ("user", "the back-office form of pool.sell"),
    ("points.withdrawal.request.wizard", "action_confirm"): ("user", "Points Users request for a member"),
    ("points.transfer.wizard", "action_confirm"): ("user", "Points Users transfer for a member"),
    ("points.referral.bind.wizard", "action_confirm"): ("user", "Points Users bind members who have no referrer"),
    ("points.withdrawal", "action_cancel"): ("user", "staff cancel a request for a member; members their own"),
    ("points.simulation", "action_run"): ("user", "Points Users run their own scenarios (in memory)"),
    ("points.simulation", "action_reset"): ("user", "Points Users reset their own scenarios"),
    ("points.simulation", "action_start_from_live_pool"): ("user", "copies the live pool's figures into a scenario"),
    ("points.reward.statement.wizard", "action_print"): ("user", "Points Users print a member's statement"),
    ("points.statement.wizard", "action_print"): ("user", "Points Users print members' statements"),
    ("points.dashboard", "get_dashboard_data"): ("user", "read-only figures of the user's own companies"),
    ("points.dashboard", "get_compare_data"): ("user", "read-only simulation results of the user's companies"),
}

#: Values of the required arguments, by name: records of *another* member, so that own-record rules refuse.
ARGUMENTS = {
    "partner": lambda case: case.b.id, "partner_id": lambda case: case.b.id, "points": lambda case: 1.0,
    "spend": lambda case: 100.0, "contribution": lambda case: 30.0, "amount": lambda case: 1.0,
    "memo": lambda case: "walk", "reason": lambda case: "walk", "source": lambda case: case.withdrawal_b.id,
    "reference": lambda case: "walk", "lines": lambda case: [], "identity": lambda case: "boss", "text": lambda case: "walk",
    "config_id": lambda case: case.env["pos.config"].sudo().search([], limit=1).id or 1,
}


@tagged("post_install", "-at_install")
class TestRpcWalk(PortalHttpCase):
    """Every public method of every model of the suite, called over JSON-RPC by a portal member and a Points
    User: each one acting beyond the caller's rights refuses with AccessError and changes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_chain()  # chain programs and rows for the chain models' methods to act on
        cls.points_user = new_test_user(
            cls.env, "points_walk_clerk", groups="base.group_user,points_pool.group_points_user",
            company_id=cls.company.id, company_ids=[cls.company.id])

    def suite_methods(self):
        """{(model, method): function} of the public methods the suite's modules define on any model."""
        methods = {}
        for name in self.registry:
            model = self.env[name]
            for cls in type(model).__mro__:
                if not cls.__module__.startswith(SUITE):
                    continue
                for attr, func in vars(cls).items():
                    if attr.startswith("_") or attr in ORM_METHODS or not inspect.isfunction(func):
                        continue
                    try:
                        get_public_method(model, attr)
                    except Exception:  # noqa: BLE001 - private (api.private): not reachable over RPC
                        continue
                    methods.setdefault((name, attr), func)
        return methods

    def record_for(self, model):
        """A record the walk acts on: another member's where the model has members, else one of the company."""
        own = {
            "points.wallet": self.wallet_of(self.b), "points.withdrawal": self.withdrawal_b,
            "points.api.token": self.env["points.api.token"].search([("user_id", "=", self.user_b.id)], limit=1),
            "res.partner": self.b,
        }
        if model in own:
            return own[model]
        Model = self.env[model].sudo()
        if Model._abstract:
            return Model  # a service without records (points.dashboard): its methods are model methods
        field = Model._fields.get("company_id")
        domain = [("company_id", "=", self.company.id)] if field and field.store and model != "res.company" else []
        record = Model.search(domain, limit=1) or Model.search([], limit=1)
        if not record and Model._transient:
            # A wizard someone else opened: the caller finds its id and calls its button.
            try:
                with self.env.cr.savepoint():
                    record = Model.with_company(self.company).create(self.required_values(Model))
            except Exception:  # noqa: BLE001 - a wizard the filler cannot open: its button is called on nothing
                record = Model
        return record

    def required_values(self, Model):
        """Values of the required fields that have no default, enough to create a record of ``Model``."""
        defaults = Model.default_get(list(Model._fields))
        values = {}
        for name, field in Model._fields.items():
            if not field.required or defaults.get(name) or field.related or (field.compute and field.readonly):
                continue
            if field.type == "many2one":
                values[name] = self.record_for(field.comodel_name).id
            elif field.type == "many2many":
                values[name] = self.record_for(field.comodel_name).ids
            elif field.type in ("float", "integer", "monetary"):
                values[name] = 1
            elif field.type == "selection":
                values[name] = field._description_selection(self.env)[0][0]
            elif field.type in ("char", "text", "html"):
                values[name] = "walk"
            elif field.type in ("date", "datetime"):
                values[name] = field.now() if field.type == "datetime" else field.today()
        return values

    def call(self, model, method, func, record):
        params = list(inspect.signature(func).parameters.values())[1:]
        args = [ARGUMENTS[p.name](self) for p in params
                if p.default is inspect.Parameter.empty and p.kind == p.POSITIONAL_OR_KEYWORD]
        is_model_method = getattr(func, "_api", None) == "model"
        return self.make_jsonrpc_request("/web/dataset/call_kw", {
            "model": model, "method": method, "args": args if is_model_method else [record.ids, *args],
            "kwargs": {"context": {"allowed_company_ids": [self.company.id]}},
        })

    def state(self):
        counts = {model: self.env[model].sudo().search_count([]) for model in (
            "points.pool.request", "points.ledger", "points.withdrawal", "points.transfer", "points.referral.move",
            "account.move", "points.reward", "points.rank.history", "points.api.token")}
        return self.snapshot(), counts, self.withdrawal_b.state, self.b.referral_code

    def test_every_acting_method_checks_the_callers_group(self):
        methods = self.suite_methods()
        self.assertGreater(len(methods), 60, "the walk finds the suite's methods")
        self.assertIn(("points.pool", "action_post_pending_entries"), methods)
        self.assertIn(("pos.order", "points_preview_from_ui"), methods)
        for key in ALLOWED:
            self.assertIn(key, methods, f"allow-list entry {key} names no public method any more")
        missing = [key for key, func in methods.items() if key[1] not in NAVIGATION and any(
            p.name not in ARGUMENTS for p in list(inspect.signature(func).parameters.values())[1:]
            if p.default is inspect.Parameter.empty and p.kind == p.POSITIONAL_OR_KEYWORD)]
        self.assertFalse(missing, "give the walk a value for the arguments of these methods")
        before = self.state()
        for user, role in ((self.user_a, "member"), (self.points_user, "user")):
            self.authenticate(user.login, user.login)
            for (model, method), func in sorted(methods.items()):
                allowed = ALLOWED.get((model, method), ("manager",))[0]
                if role == "user" and allowed == "user":
                    continue  # the reason is in ALLOWED
                with self.subTest(role=role, model=model, method=method):
                    record = self.record_for(model)
                    if method in NAVIGATION:
                        if not record and getattr(func, "_api", None) != "model":
                            continue  # nothing to open
                        try:
                            self.call(model, method, func, record)
                        except JsonRpcException as error:
                            self.assertIn(str(error), ("odoo.exceptions.AccessError", "odoo.exceptions.UserError",
                                                       "odoo.exceptions.MissingError"))
                        continue
                    if not record and self.env[model]._transient:
                        continue  # a wizard the fixture cannot open (no posted invoice): no id to call it on
                    if not record and getattr(func, "_api", None) != "model":
                        # No record of this model in the database (no POS order, no picking): the call on
                        # nothing may do nothing, or refuse.
                        try:
                            self.call(model, method, func, record)
                        except JsonRpcException as error:
                            self.assertEqual(str(error), "odoo.exceptions.AccessError")
                        continue
                    with self.assertRaises(JsonRpcException) as refusal:
                        self.call(model, method, func, record)
                    self.assertEqual(str(refusal.exception), "odoo.exceptions.AccessError",
                                     f"{model}.{method} called by a {role}")
        self.env.invalidate_all()
        self.assertEqual(self.state(), before)

    def test_member_reads_nothing_of_referees_over_rpc(self):
        """The portal shows a member's team (name, rank, team size); their contact records stay closed."""
        self.authenticate(self.user_b.login, self.user_b.login)
        context = {"allowed_company_ids": [self.company.id]}

        def rpc(method, args, **kwargs):
            return self.make_jsonrpc_request("/web/dataset/call_kw", {
                "model": "res.partner", "method": method, "args": args, "kwargs": dict(kwargs, context=context)})

        with self.assertRaises(JsonRpcException) as refusal:
            rpc("read", [[self.c.id], ["name", "email", "lang", "bank_ids", "referral_code"]])
        self.assertEqual(str(refusal.exception), "odoo.exceptions.AccessError")
        self.assertFalse(rpc("search_read", [[("referrer_id", "=", self.b.id)]], fields=["name", "email"]))
        self.assertFalse(rpc("search_read", [[("id", "=", self.c.id)]], fields=["name"]))
        rows = rpc("hierarchy_read", [[("id", "=", self.b.id)], ["name", "email", "referrer_id"], "referrer_id"])
        self.assertEqual([row["id"] for row in rows], [self.b.id], "the member's own record, no referee")
        # What the member may know of the team comes through the member service: name, rank, team size.
        status, body = self.api("GET", "/team", self.token_b)
        self.assertEqual(status, 200, body)
        referee = next(item for item in body["items"] if item["id"] == self.c.id)
        self.assertEqual(set(referee), {"id", "name", "team_size", "bound_at", "rank"})

    def test_only_members_are_found_by_code_for_binding_and_transfers(self):
        """The company's own contact, a customer company or a contact without a wallet holding an old code are
        nobody for the portal and the API: binding and transfers to them are refused and change nothing."""
        self.pool.transfer_enabled = True
        Partner = self.env["res.partner"]
        internal = {"points_referral_internal": True}
        self.company.partner_id.with_context(**internal).referral_code = "COMPANY7"
        customer = Partner.create({"name": "Customer Co", "is_company": True})
        self.env["points.wallet"]._get_for_partner(customer, self.company)
        customer.with_context(**internal).referral_code = "CUSTCO23"
        legacy = Partner.create({"name": "Old contact"}).with_context(**internal)
        legacy.referral_code = "LEGACY23"
        self.assertFalse(Partner.create({"name": "New contact"}).referral_code, "contacts get no code")
        before = self.state(), self.a.referrer_id
        self.env.flush_all()
        for code in ("COMPANY7", "CUSTCO23", "LEGACY23"):
            with self.subTest(code=code):
                self.assertApiError(self.api("POST", "/referral/bind", self.token_a, {"code": code}), 404,
                                    "unknown_referral_code")
                self.assertApiError(self.api("POST", "/transfers", self.token_a,
                                             {"recipient_code": code, "cash": 1}), 404, "unknown_referral_code")
        self.env.invalidate_all()
        self.assertEqual((self.state(), self.a.referrer_id), before)
