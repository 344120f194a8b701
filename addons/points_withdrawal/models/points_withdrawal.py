from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.points_engine.rounding import to_decimal
from odoo.addons.points_engine.wallet import withdrawal_split
from odoo.addons.points_pool.exceptions import refusal
from odoo.addons.points_pool.keys import idempotency_key

APPROVAL_ACTIVITY = "points_withdrawal.mail_activity_type_withdrawal_approval"


class PointsWithdrawal(models.Model):
    """A member's request to be paid part of their cash balance (提现).

    The amount is reserved on the wallet as soon as it is requested (an open request holds
    it from the available cash); it is approved through the tiers of OCA's tier validation
    (one level, or more above the amounts the tier definitions set), then paid (the profit
    pool's sequencer takes the fee, booked as income, and the amount paid from the wallet;
    the rest is paid by an outbound payment reconciled with the wallet payable), or rejected
    (the reservation is released).
    """

    _name = "points.withdrawal"
    _description = "Withdrawal Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "tier.validation"]
    # Tier validation: a request waits in "requested" until its tiers are validated, then is paid.
    _state_from = ["requested"]
    _state_to = ["paid"]
    _cancel_state = "cancelled"
    _tier_validation_manual_config = False
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default=lambda self: _("New"))
    partner_id = fields.Many2one("res.partner", "Member", required=True, readonly=True, index=True,
                                 ondelete="restrict", tracking=True)
    wallet_id = fields.Many2one("points.wallet", required=True, readonly=True, index=True, ondelete="restrict")
    pool_id = fields.Many2one("points.pool", required=True, readonly=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="pool_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="pool_id.currency_id")
    amount = fields.Monetary(required=True, readonly=True, tracking=True,
                             help="Amount taken from the cash balance, fee included.")
    fee_amount = fields.Monetary("Fee", readonly=True, help="Part of the amount kept by the company.")
    net_amount = fields.Monetary("Net to Pay", readonly=True,
                                 help="Amount paid to the member once the request is approved: the amount less the fee.")
    paid_amount = fields.Monetary("Amount Paid", compute="_compute_paid_amount", store=True,
                                  help="Amount paid to the member: nothing until the request is paid.")
    payee_id = fields.Many2one("points.payee", "Payee", readonly=True, index="btree_not_null", ondelete="restrict",
                               tracking=True, help="The member's bank card, Alipay or WeChat account paid.")
    state = fields.Selection(
        [("requested", "Requested"), ("paid", "Paid"), ("rejected", "Rejected"), ("cancelled", "Cancelled")],
        default="requested", required=True, readonly=True, index=True, tracking=True,
        help="Requested: the amount is reserved on the wallet until a Points Manager approves (and pays) or "
             "rejects it, or the member cancels it.")
    date_requested = fields.Datetime("Requested On", required=True, readonly=True, default=fields.Datetime.now)
    request_day = fields.Date(readonly=True, index=True, help="Day counted by the daily withdrawal limit.")
    request_key = fields.Char(readonly=True, copy=False,
                              help="Key of the client's call: the same key returns the same request.")
    requested_by = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)
    approved_by = fields.Many2one("res.users", readonly=True, tracking=True)
    date_done = fields.Datetime("Closed On", readonly=True, help="When the request was paid, rejected or cancelled.")
    reject_reason = fields.Text(readonly=True, tracking=True)
    payment_id = fields.Many2one("account.payment", readonly=True, copy=False, index="btree_not_null",
                                 ondelete="restrict")
    request_id = fields.Many2one(
        "points.pool.request", "Pool Request", readonly=True, copy=False, index="btree_not_null",
        ondelete="restrict", help="The profit pool request that took the fee and the amount paid from the wallet.")
    ledger_ids = fields.One2many("points.ledger", "withdrawal_id")
    exit_ledger_id = fields.Many2one(
        "points.ledger", "Forced Exit", readonly=True, copy=False, index="btree_not_null", ondelete="restrict",
        help="The forced exit whose cash this request withdraws (setting Withdraw at Forced Exit).")

    _sql_constraints = [
        ("request_key_uniq", "unique(wallet_id, request_key)", "This request key was already used for this wallet."),
        ("amount_positive", "CHECK(amount > 0)", "A withdrawal amount is positive."),
    ]

    @api.depends("state", "net_amount")
    def _compute_paid_amount(self):
        for withdrawal in self:
            withdrawal.paid_amount = withdrawal.net_amount if withdrawal.state == "paid" else 0.0

    @api.constrains("payee_id", "partner_id")
    def _check_payee(self):
        for withdrawal in self.filtered("payee_id"):
            if withdrawal.payee_id.sudo().partner_id != withdrawal.partner_id:
                raise ValidationError(_("A withdrawal is paid to one of the member's own payees."))

    # -- CRUD -----------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("points.withdrawal") or _("New")
        return super().create(vals_list)

    def unlink(self):
        if any(withdrawal.state != "cancelled" for withdrawal in self):
            raise UserError(_("Only cancelled withdrawal requests can be deleted."))
        return super().unlink()

    # -- actions ----------------------------------------------------------------------
    def action_approve(self):
        """Approves (the tiers the user reviews) and pays each request through the pool's withdrawal journal."""
        return self._approve_and_pay()

    def _approve_and_pay(self, journal=None, method_line=None, date=None, reference=None):
        """Pays each request: fee to income, the rest by an outbound payment reconciled with the wallet payable.

        The user first validates the tiers they review; a request whose tiers are not all
        validated is refused. ``journal`` (the pool's withdrawal journal by default),
        ``method_line``, ``date`` and ``reference`` make the payments. A single-user back-office action: the fee and the amount paid leave the wallets through
        pool requests applied in this transaction (``_apply_pending`` waits for the pool), so
        nothing is paid unless the wallets were debited, and a refusal reaches the approver at
        once. The payments are made first: the pool's lock, once taken, is held until the
        transaction ends, and every other request of the pool waits for it meanwhile.
        """
        self._check_manager()
        for withdrawal in self:
            withdrawal._validate_tiers_to_pay()
        withdrawals = self.sudo()
        for withdrawal in withdrawals:
            withdrawal._check_approvable()
        options = {"journal": journal, "method_line": method_line, "date": date, "reference": reference}
        payments = {withdrawal: withdrawal._pay(**options) for withdrawal in withdrawals}
        requests = {withdrawal: withdrawal._submit_payout() for withdrawal in withdrawals}
        for pool in withdrawals.pool_id:
            pool._apply_pending()
        for withdrawal in withdrawals:
            withdrawal._settle_payout(payments[withdrawal], requests[withdrawal])
        return True

    def action_reject(self, reason):
        """Refuses each request with ``reason``: its reservation returns to the available cash."""
        self._check_manager()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Say why the withdrawal is rejected."))
        for withdrawal in self:
            withdrawal._close("rejected", reject_reason=reason)
            # Chatter lines are stored: they are written in the staff's language, not the actor's.
            staff = withdrawal.sudo()._points_in_staff_lang()
            staff.activity_feedback([APPROVAL_ACTIVITY], feedback=staff.env._("Rejected: %s", reason))
            staff.message_post(body=staff.env._("Rejected by %(user)s: %(reason)s",
                                                user=self.env.user.name, reason=reason))
        return True

    def action_cancel(self):
        """The member (or staff for them) withdraws the request while it waits for approval."""
        self.check_access("read")
        is_staff = self.env.su or self.env.user.has_group("points_pool.group_points_user")
        for withdrawal in self:
            if not is_staff and withdrawal.partner_id != self.env.user.partner_id:
                raise AccessError(_("You may only cancel your own withdrawal requests."))
            withdrawal._close("cancelled")
            withdrawal.sudo().activity_unlink([APPROVAL_ACTIVITY])
            staff = withdrawal.sudo()._points_in_staff_lang()
            staff.message_post(body=staff.env._("Cancelled by %s.", self.env.user.name))
        return True

    def action_open_reject_wizard(self):
        self._check_manager()
        return {
            "type": "ir.actions.act_window", "res_model": "points.withdrawal.reject.wizard", "view_mode": "form",
            "target": "new", "name": _("Reject Withdrawal"),
            "context": {"default_withdrawal_ids": self.ids},
        }

    def action_open_payment_wizard(self):
        """The batch payment of the selected requests: journal, method, date and reference."""
        self._check_manager()
        return {
            "type": "ir.actions.act_window", "res_model": "points.withdrawal.payment.wizard", "view_mode": "form",
            "target": "new", "name": _("Pay Withdrawals"),
            "context": {"default_withdrawal_ids": self.ids},
        }

    def action_open_payment(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "account.payment", "res_id": self.payment_id.id,
                "view_mode": "form", "views": [(False, "form")]}

    # -- business methods (public service API) ----------------------------------------
    @api.model
    def _request(self, partner, amount, company=None, request_key=None, payee=None, values=None):
        """A new withdrawal request of ``amount`` from ``partner``'s cash balance, reserved at once.

        Members may ask for themselves only, Points Users for anyone. ``payee`` is one of the
        member's own payees. The same ``request_key`` returns the request it created first and
        changes nothing. ``values``: further fields of the new request (set before its tiers are).
        """
        if not partner:
            raise UserError(_("Choose the member."))
        partner.ensure_one()
        self._check_acting_for(partner)
        company = self._company_for_call(company)
        pool = self.env["points.pool"]._get_for_company(company)
        amount = pool._positive_amount(amount, _("The amount to withdraw must be positive, not %s.", amount))
        wallet = self.env["points.wallet"].sudo()._get_for_partner(partner, company, create=False)
        if not wallet:
            raise UserError(_("%s has no wallet to withdraw from.", partner.display_name))
        # The member's own requests wait for each other here (never for the pool): the second one sees the first.
        wallet = wallet._lock_reservations()
        if request_key:
            existing = self.sudo().search([("wallet_id", "=", wallet.id), ("request_key", "=", request_key)])
            if existing:
                if to_decimal(existing.amount) != amount:
                    raise UserError(_("The request key %s was already used for another amount.", request_key))
                return existing.with_env(self.env)
        wallet._check_active()
        if payee:
            payee._check_usable_by(partner, company)
        self._check_can_withdraw(pool, wallet, amount)
        fee, net = self._split_paying(pool, amount)
        withdrawal = self.sudo().create({
            "partner_id": partner.id, "wallet_id": wallet.id, "pool_id": pool.id, "amount": float(amount),
            "fee_amount": float(fee), "net_amount": float(net), "request_key": request_key or False,
            "request_day": fields.Date.context_today(self), "requested_by": self.env.user.id,
            "payee_id": payee.id if payee else False, **(values or {}),
        })
        # The tiers its amount needs (tier definitions) wait for their reviewers from now on.
        withdrawal.request_validation()
        # The first level is pending at once (tier reviews move on when their can_review is computed).
        withdrawal.review_ids._compute_can_review()
        withdrawal._schedule_approval()
        return withdrawal.with_env(self.env)

    @api.model
    def _request_at_exit(self, exit_row):
        """Withdraws the cash ``exit_row`` (a forced exit's ledger row) paid into the member's wallet.

        Queued by :meth:`points.pool.request._on_applied` once the exit is applied, so that the
        withdrawal's reservation never runs in the sequencer's transaction. One request per exit
        (keyed on the row); cash below the pool's minimum, or a request the rules refuse, stays in
        the wallet and the wallet's chatter says why.
        """
        exit_row = exit_row.sudo()
        exit_row.ensure_one()
        key = idempotency_key("exit", exit_row.id)
        wallet, pool = exit_row.wallet_id, exit_row.pool_id
        # Refusal reasons end up in the chatter: in the staff's language.
        Withdrawal = self.sudo().with_context(lang=wallet._points_staff_lang())
        existing = Withdrawal.search([("wallet_id", "=", wallet.id), ("request_key", "=", key)])
        amount = to_decimal(exit_row.cash_delta)
        if existing or exit_row.event != "exit" or amount <= 0 or not pool.exit_withdrawal:
            return existing
        staff_wallet = wallet._points_in_staff_lang()
        currency = pool.currency_id
        if pool.withdrawal_min_amount and amount < to_decimal(pool.withdrawal_min_amount):
            staff_wallet.message_post(body=staff_wallet.env._(
                "The %(amount)s of the forced exit of %(date)s stay in the wallet: the smallest withdrawal is "
                "%(minimum)s.", amount=currency.format(float(amount)), date=exit_row.date,
                minimum=currency.format(pool.withdrawal_min_amount)))
            return Withdrawal
        try:
            with self.env.cr.savepoint():
                withdrawal = Withdrawal._request(exit_row.partner_id, amount, company=pool.company_id,
                                                 request_key=key, values={"exit_ledger_id": exit_row.id})
        except UserError as error:
            staff_wallet.message_post(body=staff_wallet.env._(
                "The %(amount)s of the forced exit of %(date)s stay in the wallet: %(reason)s",
                amount=currency.format(float(amount)), date=exit_row.date, reason=error.args[0]))
            return Withdrawal
        return withdrawal.with_env(self.env)

    @api.model
    def _check_acting_for(self, partner):
        """Members act for themselves; Points Users act for anyone."""
        if self.env.su or self.env.user.has_group("points_pool.group_points_user"):
            return
        if partner != self.env.user.partner_id:
            raise AccessError(_("You may only use your own wallet."))

    @api.model
    def _company_for_call(self, company):
        """The company of the call: given or the current one, and one the user works in."""
        company = company or self.env.company
        if not self.env.su and company not in self.env.user.company_ids:
            raise UserError(_("You do not work in %s.", company.name))
        return company

    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group("points_pool.group_points_manager"):
            raise AccessError(_("Only a Points Manager may approve or reject withdrawals."))
        # Reading the requests enforces the multi-company rules for the manager.
        self.check_access("read")

    @api.model
    def _check_can_withdraw(self, pool, wallet, amount):
        """Refuses a request the pool's rules do not allow; ``amount`` is an exact Decimal."""
        currency = pool.currency_id
        if pool.withdrawal_min_amount and amount < to_decimal(pool.withdrawal_min_amount):
            raise UserError(_("The smallest withdrawal is %s.", currency.format(pool.withdrawal_min_amount)))
        if wallet.debt or wallet.cash_balance < 0:
            raise UserError(_("%(partner)s owes %(debt)s from a refund: withdrawals wait until it is paid.",
                              partner=wallet.partner_id.display_name, debt=currency.format(wallet.debt)))
        available = wallet._available_cash_now()
        if amount > available:
            raise UserError(_(
                "%(partner)s may withdraw at most %(available)s now (cash balance %(cash)s, of which %(reserved)s "
                "is reserved by open requests; frozen rewards of %(frozen)s are not available).",
                partner=wallet.partner_id.display_name, available=currency.format(float(max(available, 0))),
                cash=currency.format(wallet.cash_balance), reserved=currency.format(wallet.reserved_balance),
                frozen=currency.format(wallet.frozen_balance)))
        if pool.withdrawal_daily_limit:
            today = self.sudo().search([
                ("wallet_id", "=", wallet.id), ("request_day", "=", fields.Date.context_today(self)),
                ("state", "in", ("requested", "paid")),
            ])
            used = sum(to_decimal(request.amount) for request in today)
            if used + amount > to_decimal(pool.withdrawal_daily_limit):
                raise UserError(_(
                    "The daily withdrawal limit is %(limit)s; %(partner)s has already asked for %(used)s today.",
                    limit=currency.format(pool.withdrawal_daily_limit), partner=wallet.partner_id.display_name,
                    used=currency.format(float(used))))

    @api.model
    def _split_fee(self, pool, amount):
        """(fee, net): the member's part is rounded down (SPEC §3.2), the fee is the rest."""
        return withdrawal_split(amount, pool.withdrawal_fee_rate, pool.currency_id.decimal_places)

    @api.model
    def _split_paying(self, pool, amount):
        """(fee, net) of withdrawing ``amount``, refusing an amount the fee would take whole."""
        fee, net = self._split_fee(pool, amount)
        if net <= 0:
            raise UserError(_("After the fee nothing would be paid: ask for more."))
        return fee, net

    @api.model
    def _preview(self, pool, wallet, amount):
        """(fee, net) of the withdrawal of ``amount`` (exact Decimal) the member asks for from their own ``wallet``
        (empty before their first points): refuses, in the member's words, what a request would refuse, so that
        the member reads it before confirming. Changes nothing."""
        wallet._check_can_send()
        if not wallet or amount > to_decimal(wallet.available_cash):
            raise refusal("insufficient_cash", _("You may withdraw at most %s now.", pool.currency_id.format(
                wallet.available_cash if wallet else 0.0)))
        self._check_can_withdraw(pool, wallet, amount)
        return self._split_paying(pool, amount)

    def _schedule_approval(self):
        """An approval activity for the pool's approver, or else for every Points Manager of the company."""
        for withdrawal in self.sudo():
            approvers = withdrawal.pool_id.withdrawal_approver_id or self.env.ref(
                "points_pool.group_points_manager").sudo().users.filtered(
                lambda user: user.active and not user.share and withdrawal.company_id in user.company_ids)
            for approver in approvers:
                # The to-do is stored text: it is written in the approver's language, not the member's.
                for_approver = withdrawal.with_context(lang=approver.lang or withdrawal._points_staff_lang())
                for_approver.activity_schedule(
                    APPROVAL_ACTIVITY, user_id=approver.id, summary=for_approver._approval_summary())

    def _approval_summary(self):
        """The approval to-do's summary, in the language of the records' context (the approver's)."""
        self.ensure_one()
        return _("Approve the withdrawal of %(amount)s by %(partner)s",
                 amount=self.currency_id.format(self.amount), partner=self.partner_id.display_name)

    def _close(self, state, **vals):
        """Closes an open request without moving money: its reservation is released."""
        self.ensure_one()
        # Serialized with the member's other requests, and with an approval of the same request.
        self.wallet_id.sudo()._lock_reservations()
        self.invalidate_recordset()
        if self.state != "requested":
            raise UserError(_("%(name)s is already %(state)s.", name=self.name, state=self._state_label()))
        self.sudo().write(dict(vals, state=state, date_done=fields.Datetime.now()))

    def _state_label(self):
        return dict(self._fields["state"]._description_selection(self.env))[self.state].lower()

    def _check_approvable(self):
        """Refuses to pay a request that is closed, of a blocked member, or that the cash no longer covers."""
        self.ensure_one()
        wallet = self.wallet_id._lock_reservations()
        self.invalidate_recordset()
        if self.state != "requested":
            raise UserError(_("%(name)s is already %(state)s.", name=self.name, state=self._state_label()))
        wallet._check_active()
        if wallet.debt or to_decimal(wallet.cash_balance) < to_decimal(self.amount):
            raise UserError(_("%(partner)s's cash balance (%(cash)s) no longer covers %(name)s: reject it.",
                              partner=wallet.partner_id.display_name,
                              cash=self.currency_id.format(wallet.cash_balance), name=self.name))

    def _check_tier_state_transition(self, vals):
        # A rejection (with its reason) closes a request under validation, as a cancellation does.
        return super()._check_tier_state_transition(vals) and vals.get(self._state_field) != "rejected"

    def _validate_tiers_to_pay(self):
        """The user validates the tiers of the request they review; refuses a request not validated at all levels.

        The superuser (system flows) validates every open tier. A request older than its tier
        definitions asks for its reviews first.
        """
        self.ensure_one()
        if self.state != "requested":
            return
        # need_validation is not stored and its cached value may predate the reviews: never ask twice.
        self.invalidate_recordset(["need_validation"])
        if not self.review_ids and self.need_validation:
            self.sudo().request_validation()
        open_reviews = self.review_ids.filtered(lambda review: review.status in ("waiting", "pending"))
        if self.validation_status != "rejected" and open_reviews:
            if self.env.su:
                open_reviews.write({"status": "approved", "done_by": self.env.uid,
                                    "reviewed_date": fields.Datetime.now()})
            elif self.can_review:
                self._validate_tier(self.review_ids.filtered(
                    lambda review: review.sequence in self._get_sequences_to_approve(self.env.user)))
        self.invalidate_recordset(["validation_status", "validated", "rejected", "next_review"])
        if self.validation_status == "rejected":
            raise UserError(_("%s was rejected at a tier of its approval: reject the request.", self.name))
        if self.review_ids and self.validation_status != "validated":
            raise UserError(_("%(name)s waits for its approval (%(next)s) before it is paid.",
                              name=self.name, next=self.next_review or _("other reviewers")))

    # -- tier validation's chatter lines: stored, so written in the staff's language -------------------
    # OCA's tier validation posts its lines in the language of whoever acted (a member requesting on the
    # portal, a reviewer, the reminder job); the suite's requests get theirs in the company's staff language.
    def _points_tier_comment(self):
        """The comment of the current user's review, if they left one."""
        reviews = self.review_ids.filtered(lambda review: self.env.user in review.reviewer_ids and review.comment)
        return reviews[:1].comment

    def _notify_created_review_body(self):
        staff = self._points_in_staff_lang()
        return staff.env._("%(user)s asked for the review of withdrawal %(name)s.",
                           user=self.env.user.name, name=self.name)

    def _notify_requested_review_body(self):
        staff = self._points_in_staff_lang()
        return staff.env._("Withdrawal %(name)s waits for the next review (asked by %(user)s).",
                           name=self.name, user=self.env.user.name)

    def _notify_accepted_reviews_body(self):
        staff, comment = self._points_in_staff_lang(), self._points_tier_comment()
        if comment:
            return staff.env._("%(user)s approved a review level (%(comment)s).",
                               user=self.env.user.name, comment=comment)
        return staff.env._("%s approved a review level.", self.env.user.name)

    def _notify_rejected_review_body(self):
        staff, comment = self._points_in_staff_lang(), self._points_tier_comment()
        if comment:
            return staff.env._("%(user)s refused a review level (%(comment)s).",
                               user=self.env.user.name, comment=comment)
        return staff.env._("%s refused a review level.", self.env.user.name)

    def _notify_restarted_review_body(self):
        staff = self._points_in_staff_lang()
        return staff.env._("%s started the reviews again.", self.env.user.name)

    def _pay(self, journal=None, method_line=None, date=None, reference=None):
        """The outbound payment of the net amount; the request is closed as paid (undone if the pool refuses)."""
        self.ensure_one()
        payment = self._create_payment(self.pool_id, journal or self.pool_id._withdrawal_journal(),
                                       method_line=method_line, date=date, reference=reference)
        self.write({"state": "paid", "payment_id": payment.id, "approved_by": self.env.uid,
                    "date_done": fields.Datetime.now()})
        staff = self._points_in_staff_lang()
        staff.activity_feedback([APPROVAL_ACTIVITY], feedback=staff.env._("Approved and paid."))
        staff.message_post(body=staff.env._("Approved by %(user)s; %(net)s paid by %(payment)s.",
                                            user=self.env.user.name, net=self.currency_id.format(self.net_amount),
                                            payment=payment.display_name))
        return payment

    def _submit_payout(self):
        """The fee and the amount paid leave the wallet in one pool request, refused rather than overdrawn."""
        self.ensure_one()
        pool, wallet = self.pool_id, self.wallet_id
        entries = [{"event": "withdrawal", "wallet": wallet, "source": self, "amount": self.net_amount,
                    "cash": -to_decimal(self.net_amount)}]
        if self.fee_amount:
            entries.insert(0, {"event": "withdrawal_fee", "wallet": wallet, "source": self,
                               "amount": self.fee_amount, "cash": -to_decimal(self.fee_amount)})
        # The request marked paid no longer holds its amount: the pool request does until it is applied.
        return pool._record_wallet_rows(entries, wallet=wallet, reserved_cash=self.amount,
                                        key=pool._source_key("withdrawal", self))

    def _settle_payout(self, payment, request):
        """After the pool applied the payout: the rows point at the payment, which is reconciled."""
        self.ensure_one()
        request.invalidate_recordset()
        if request.state == "pending":
            raise UserError(_("The profit pool is busy: approve %s again in a moment.", self.name))
        if request.state == "refused":
            raise UserError(_("%(partner)s's cash balance no longer covers %(name)s (%(reason)s): reject it.",
                              partner=self.partner_id.display_name, name=self.name, reason=request.refusal_reason))
        rows = request.ledger_ids.sudo()
        # The payment's own entry books the amount paid: the withdrawal row points at it.
        rows.filtered(lambda row: row.event == "withdrawal").with_context(
            points_ledger_internal=True).move_id = payment.move_id
        self.request_id = request
        self._reconcile_wallet_payable(self.pool_id, payment, rows.filtered(lambda row: row.event == "withdrawal_fee"))

    def _create_payment(self, pool, journal, method_line=None, date=None, reference=None):
        """The posted outbound payment of the net amount, booked against the member's wallet payable."""
        payment = self.env["account.payment"].sudo().with_company(pool.company_id).create(
            self._prepare_payment_values(pool, journal, method_line=method_line, date=date, reference=reference))
        payment.action_post()
        return payment

    def _prepare_payment_values(self, pool, journal, method_line=None, date=None, reference=None):
        vals = {
            "payment_type": "outbound",
            "partner_type": "supplier",
            "partner_id": self.partner_id.id,
            "amount": self.net_amount,
            "currency_id": pool.currency_id.id,
            "journal_id": journal.id,
            "company_id": pool.company_id.id,
            "destination_account_id": pool.wallet_account_id.id,
            "memo": f"{self.name} {reference}" if reference else self.name,
            "date": date or fields.Date.context_today(self),
        }
        if method_line:
            vals["payment_method_line_id"] = method_line.id
        return vals

    def _reconcile_wallet_payable(self, pool, payment, fee_rows):
        """Matches the payment's and the fee's debits with the member's open credits on the wallet payable."""
        account = pool.wallet_account_id
        # The fee's entry may be shared with other events of the same drain: take its debits only.
        debits = (payment.move_id.line_ids | fee_rows.move_id.line_ids).filtered(
            lambda line: line.account_id == account and line.partner_id == self.partner_id and not line.reconciled
            and line.balance > 0)
        credits = self.env["account.move.line"].sudo().search([
            ("account_id", "=", account.id), ("partner_id", "=", self.partner_id.id),
            ("company_id", "=", pool.company_id.id), ("parent_state", "=", "posted"),
            ("reconciled", "=", False), ("balance", "<", 0),
        ], order="date, id")
        if debits and credits:
            (debits | credits).reconcile()

    # -- demo ---------------------------------------------------------------------------
    @api.model
    def _demo_request(self, partner_id):
        """Sets demo withdrawal rules on the main company's pool and opens one request for ``partner_id``."""
        company = self.env.ref("base.main_company")
        pool = self.env["points.pool"].sudo()._get_for_company(company)
        pool.write({"withdrawal_min_amount": 10.0, "withdrawal_fee_rate": 0.02, "withdrawal_daily_limit": 5000.0,
                    "transfer_enabled": True})
        partner = self.env["res.partner"].browse(partner_id)
        wallet = self.env["points.wallet"].sudo()._get_for_partner(partner, company, create=False)
        if wallet and not wallet.withdrawal_ids and wallet.available_cash >= 50:
            self.sudo()._request(partner, 50.0, company=company, request_key="demo")
