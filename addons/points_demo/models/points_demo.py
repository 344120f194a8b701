from odoo import api, models
from odoo.fields import Command
from odoo.tools import LazyTranslate

_lt = LazyTranslate(__name__)

#: Name of the demo's chain program. The program names its two reward rules after itself in every installed
#: language, and the module's translations of XML records are loaded only after the demo: so the program is
#: created in code, named in every language from this term, and its rules renamed after it.
CHAIN_PROGRAM_NAME = _lt("Gift package 2+1")

#: The demo's paid orders, in the order they are paid: (buyer, referrer named on the order, [(product, quantity)]).
#: Members, products and referrers are XML ids of this module's demo data (``partner_<name>_demo``,
#: ``product_<name>_demo``). A referrer named on a buyer's first order binds the buyer (binding by first order).
ORDERS = [
    # The founding team buys the gift package of the chain program (链动2+1): each buyer becomes an agent;
    # Liu Yang, Zhang Wei's third agent referral, makes him a boss, and Zhao Lei does the same for Wang Fang.
    ("zhang_wei", None, [("package", 1)]),
    ("wang_fang", "zhang_wei", [("package", 1)]),
    ("li_na", "zhang_wei", [("package", 1)]),
    ("liu_yang", "zhang_wei", [("package", 1)]),
    ("chen_jing", "wang_fang", [("package", 1)]),
    ("yang_fan", "wang_fang", [("package", 1)]),
    ("zhao_lei", "wang_fang", [("package", 1)]),
    ("huang_li", "li_na", [("package", 1)]),
    # Tea boxes on the queued-rebate plan (工会排队): each line queues a rebate; a referee's order releases
    # 20% of it from the referrer's oldest queued rebate at once.
    ("li_na", None, [("tea", 1)]),
    ("chen_jing", None, [("tea", 1)]),
    ("zhou_jie", "li_na", [("tea", 1)]),
    ("wu_min", "liu_yang", [("tea", 1)]),
    ("xu_jingyi", "chen_jing", [("tea", 1)]),
    ("sun_hao", "chen_jing", [("tea", 1), ("rice", 1)]),
    # Everyday goods on the company's standard plan.
    ("ma_li", "zhou_jie", [("rice", 2)]),
    ("yang_fan", None, [("rice", 1)]),
    ("zhang_wei", None, [("tea", 1)]),
]
#: Orders (by their index in ORDERS) whose rewards a Points Manager released before the end of their freeze:
#: the founding team's packages. The rewards of the later orders stay frozen until their release date.
RELEASED_EARLY = range(8)


class PointsDemo(models.AbstractModel):
    """Builds the demo economy of the Demo Mall (演示商城) through the suite's real flows.

    Every figure comes from what the members did: sales orders confirmed, invoiced and paid, a
    sale of points, withdrawals, the operators' actions (appointing a rank, releasing rewards,
    closing a dividend period, funding the rebate pool). No balance is ever written directly.
    """

    _name = "points.demo"
    _description = "Points Demo Economy"

    @api.model
    def _build_economy(self):
        company = self.env.ref("points_demo.company_demo")
        pool = self.env["points.pool"]._get_for_company(company)
        if pool.ledger_ids:
            return  # built already
        # The Demo Mall's staff work in Chinese when it is installed: stored texts (memos, chatter lines, the
        # names of the dividend periods and of the orders' lines) are written in it, as in a Chinese shop.
        languages = [lang for lang, _label in self.env["res.lang"].get_installed() if lang != "en_US"]
        staff_lang = "zh_CN" if "zh_CN" in languages else "en_US"
        # Odoo loads a module's translations after its demo data: the orders copy the products' names in the
        # buyers' language, so the demo records read in every language from the start.
        self.env["ir.module.module"]._load_module_terms(["points_demo"], languages)
        self.env.invalidate_all()
        # The operator's own actions: the demo's records are created by the administrator, in the Demo Mall.
        admin = self.env.ref("base.user_admin")
        admin.sudo().write({"company_ids": [Command.link(company.id)]})
        env = self.env(user=admin.id, su=True, context=dict(
            self.env.context, allowed_company_ids=[company.id], lang=staff_lang))
        demo = self.with_env(env)
        demo._setup_company(company.with_env(env), staff_lang)
        demo._setup_catalogue(company)
        pool = pool.with_env(env)
        demo._open_chain_program(pool)
        demo._fund_rebate_pool(pool)
        orders = demo._pay_orders(company)
        demo._release_early(orders)
        demo._sell_points(pool)
        demo._close_dividend_period()
        demo._withdraw(pool)
        pool._apply_pending()

    def _ref(self, name):
        return self.env.ref(f"points_demo.{name}")

    def _member(self, name):
        return self._ref(f"partner_{name}_demo")

    # -- set-up --------------------------------------------------------------------------------
    def _setup_company(self, company, staff_lang):
        """A chart of accounts (the pool's accounts follow it), the staff's language and the wallet settings."""
        self.env["account.chart.template"]._load("generic_coa", company, install_demo=False)
        # The generic chart sets its own fiscal country and currency (USD): back to China and CNY.
        company.write({"account_fiscal_country_id": self.env.ref("base.cn").id,
                       "currency_id": self.env.ref("base.CNY").id})
        company.partner_id.tz = "Asia/Shanghai"
        members = self.env["res.partner"].search([("company_id", "=", company.id), ("is_company", "=", False)])
        (company.partner_id | members).write({"lang": staff_lang})
        pool = self.env["points.pool"]._get_for_company(company)
        pool.write({
            "withdrawal_min_amount": 10.0, "withdrawal_fee_rate": 0.01, "withdrawal_daily_limit": 5000.0,
            "transfer_enabled": True, "rebate_min_amount": 100.0, "rebate_lock_days": 15,
            "rebate_acceleration_rate": 0.20,
        })

    def _setup_catalogue(self, company):
        """The company-dependent fields of the demo products: allocation plans, rebate lock, cost."""
        package = self._ref("product_package_demo").with_company(company)
        package.write({"points_plan_id": self._ref("plan_package_demo").id, "standard_price": 200.0})
        tea = self._ref("product_tea_demo").with_company(company)
        tea.write({"points_plan_id": self._ref("plan_rebate_demo").id, "points_rebate_lock_days": 15,
                   "points_rebate_extra_days": 5, "standard_price": 59.6})
        # Rice has no plan of its own: the company's default plan (everyday goods) applies.
        self._ref("product_rice_demo").with_company(company).standard_price = 17.6

    def _open_chain_program(self, pool):
        """Chain reward 2+1 (链动2+1) on the gift package, paid from its referral bucket: a Points Manager raises
        the reward depth (acknowledging the logged warning), then enables the program."""
        wizard = self.env["points.depth.limit.wizard"].create(
            {"pool_id": pool.id, "new_limit": 10, "acknowledged": True})
        wizard.action_confirm()
        program = self.env["points.chain.program"].with_context(lang="en_US").create({
            "name": CHAIN_PROGRAM_NAME._translate("en_US"), "company_id": pool.company_id.id,
            "product_tmpl_ids": [Command.set(self._ref("product_package_demo").ids)],
        })
        languages = [lang for lang, _label in self.env["res.lang"].get_installed() if lang != "en_US"]
        if languages:
            # Not written in each language: where English is not active, Odoo would write the English name too.
            program.update_field_translations("name", {lang: CHAIN_PROGRAM_NAME._translate(lang) for lang in languages})
            program._name_rules()
        self.env["ir.model.data"]._update_xmlids([
            {"xml_id": "points_demo.chain_program_demo", "record": program, "noupdate": True}])
        program.action_enable()

    def _fund_rebate_pool(self, pool):
        staff = pool._points_in_staff_lang()
        wizard = self.env["points.rebate.inject.wizard"].create({
            "pool_id": pool.id, "amount": 10000.0, "account_id": pool.injection_account_id.id,
            "memo": staff.env._("Launch funding of the rebate pool"),
        })
        wizard.action_confirm()

    # -- the members' orders ----------------------------------------------------------------------
    def _pay_orders(self, company):
        """Each order of ORDERS confirmed, invoiced, posted and paid in full, as the sales team does."""
        orders = []
        for index, (buyer, referrer, lines) in enumerate(ORDERS):
            order = self._pay_order(company, self._member(buyer), referrer and self._member(referrer), lines)
            orders.append(order)
            if index == 0:  # the founder's first order made him a member: staff appoint him Director
                self._appoint_founder(company, self._member(buyer))
        return orders

    def _pay_order(self, company, buyer, referrer, lines):
        order = self.env["sale.order"].create({
            "partner_id": buyer.id, "company_id": company.id,
            "points_referrer_id": referrer.id if referrer else False,
            "order_line": [Command.create({"product_id": self._ref(f"product_{product}_demo").product_variant_id.id,
                                           "product_uom_qty": quantity}) for product, quantity in lines],
        })
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids).create({})._create_payments()
        return order

    def _appoint_founder(self, company, founder):
        """Directors are appointed by hand (their rank has no automatic upgrade)."""
        staff = self.env["points.pool"]._get_for_company(company)._points_in_staff_lang()
        self.env["points.rank.set.wizard"].create({
            "partner_id": founder.id, "company_id": company.id, "rank_id": self._ref("rank_director_demo").id,
            "reason": staff.env._("Founder of the Demo Mall"),
        }).action_confirm()

    # -- operators and members after the orders ---------------------------------------------------
    def _release_early(self, orders):
        """A Points Manager releases the first wave's rewards before their freeze ends (chain funds stay held)."""
        lines = self.env["sale.order"].union(*(orders[index] for index in RELEASED_EARLY)).invoice_ids.invoice_line_ids
        rewards = self.env["points.reward"].search([
            ("source_model", "=", "account.move.line"), ("source_id", "in", lines.ids), ("state", "=", "frozen"),
            ("chain_fund", "=", False)])
        rewards.action_release_now()

    def _sell_points(self, pool):
        """The founder sells a fifth of his points into his cash balance."""
        founder = self._member("zhang_wei")
        wallet = self.env["points.wallet"]._get_for_partner(founder, pool.company_id, create=False)
        self.env["points.sell.wizard"].create({"wallet_id": wallet.id, "points": round(wallet.points / 5, 4)})\
            .action_sell()

    def _close_dividend_period(self):
        """The shareholder dividend pool is shared by rank (Director, Co-founder, Partner) as frozen rewards."""
        self.env["points.dividend.close.wizard"].create({"rule_id": self._ref("rule_dividend_demo").id})\
            .action_confirm()

    def _withdraw(self, pool):
        """Wang Fang's withdrawal to her Alipay account is approved and paid; Zhang Wei's to his bank card waits."""
        Payee = self.env["points.payee"]
        company = pool.company_id
        wang_fang, zhang_wei = self._member("wang_fang"), self._member("zhang_wei")
        alipay = Payee._add_for(wang_fang, {"method": "alipay", "account": "wang.fang@example.cn",
                                            "holder_name": wang_fang.name}, company)
        card = Payee._add_for(zhang_wei, {
            "method": "bank_card", "account": "6222021202012345678", "holder_name": zhang_wei.name,
            "bank_name": "中国工商银行", "bank_branch": "杭州西湖支行"}, company)
        paid = self._request_withdrawal(wang_fang, company, alipay)
        paid.action_approve()
        self._request_withdrawal(zhang_wei, company, card)

    def _request_withdrawal(self, partner, company, payee):
        """Staff ask, on the member's behalf, for most of the cash available (whole hundreds)."""
        wallet = self.env["points.wallet"]._get_for_partner(partner, company, create=False)
        amount = int(wallet.available_cash * 0.8 / 100) * 100
        wizard = self.env["points.withdrawal.request.wizard"].create(
            {"wallet_id": wallet.id, "amount": amount, "payee_id": payee.id})
        return self.env["points.withdrawal"].browse(wizard.action_confirm()["res_id"])
