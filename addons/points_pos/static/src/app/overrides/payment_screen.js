import { PaymentScreen } from "@point_of_sale/app/screens/payment_screen/payment_screen";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { ConnectionLostError } from "@web/core/network/rpc";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { PointsSummary } from "@points_pos/app/points_summary/points_summary";

PaymentScreen.components = { ...PaymentScreen.components, PointsSummary };

patch(PaymentScreen.prototype, {
    showPointsAlert(body) {
        this.dialog.add(AlertDialog, { title: _t("Points Payment"), body });
    },
    /** Fresh points figures of the order from the server; an alert and null when it cannot answer. */
    async fetchPointsPreview() {
        try {
            return await this.pos.fetchPointsPreview(this.currentOrder, { immediate: true });
        } catch (error) {
            if (error instanceof ConnectionLostError) {
                this.showPointsAlert(_t("Points payments need a connection to the server."));
                return null;
            }
            throw error;
        }
    },
    async addNewPaymentLine(paymentMethod) {
        if (!paymentMethod.points_payment) {
            return super.addNewPaymentLine(...arguments);
        }
        const order = this.currentOrder;
        if (!order.get_partner()) {
            this.showPointsAlert(_t("Select the customer whose points pay the order."));
            return false;
        }
        if (order.getPointsPaymentLines().length) {
            this.showPointsAlert(_t("The order already has a Points payment: change its amount."));
            return false;
        }
        if (order.get_due() < 0 && order.getPointsRefundRequest().length) {
            return this.addPointsRefundLine(...arguments);
        }
        if (!(order.get_due() > 0)) {
            this.showPointsAlert(
                _t("Points cannot be paid back: refund with another payment method.")
            );
            return false;
        }
        const preview = await this.fetchPointsPreview();
        if (!preview) {
            return false;
        }
        const amount = Math.min(order.get_due(), preview.payable);
        if (!(amount > 0)) {
            this.showPointsAlert(
                _t("%(customer)s has no points to pay with.", { customer: order.get_partner().name })
            );
            return false;
        }
        return this.addPointsPaymentLine(paymentMethod, amount);
    },
    async addPointsPaymentLine(paymentMethod, amount) {
        // The Points method is a customer account (pay later) method: the core's warning about following
        // up the customer's due balance does not apply, the points settle it.
        const notification = this.notification;
        this.notification = { add: () => {} };
        let added;
        try {
            // The core's method (``super`` in a patch reaches the patched class's own methods).
            added = await super.addNewPaymentLine(paymentMethod);
        } finally {
            this.notification = notification;
        }
        if (added) {
            this.currentOrder.get_selected_paymentline().set_amount(amount);
        }
        return added;
    },
    /** Server figures of what a refund gives back as points; an alert and null when it cannot answer. */
    async fetchPointsRefundPreview() {
        try {
            return await this.pos.fetchPointsRefundPreview(this.currentOrder);
        } catch (error) {
            if (error instanceof ConnectionLostError) {
                this.showPointsAlert(_t("Points payments need a connection to the server."));
                return null;
            }
            throw error;
        }
    },
    /** A refund of lines paid with points: the Points method gives their share back as points. */
    async addPointsRefundLine(paymentMethod) {
        const preview = await this.fetchPointsRefundPreview();
        if (!preview) {
            return false;
        }
        if (preview.error) {
            this.showPointsAlert(preview.error);
            return false;
        }
        const amount = Math.min(preview.amount, -this.currentOrder.get_due());
        if (!(amount > 0)) {
            this.showPointsAlert(
                _t("The refunded lines were not paid with points: refund with another payment method.")
            );
            return false;
        }
        return this.addPointsPaymentLine(paymentMethod, -amount);
    },
    async validateOrder(isForceValidate) {
        const order = this.currentOrder;
        if (order.getPointsRefundRequest().length) {
            // What the refunded lines were paid with points goes back as points, never as money. Offline,
            // a refund without a Points payment goes on: the server checks it when the order syncs.
            let preview;
            try {
                preview = await this.pos.fetchPointsRefundPreview(order);
            } catch (error) {
                if (!(error instanceof ConnectionLostError)) {
                    throw error;
                }
                if (order.getPointsPaymentLines().length) {
                    this.showPointsAlert(_t("Points payments need a connection to the server."));
                    return;
                }
                return super.validateOrder(...arguments);
            }
            const givenBack = -order
                .getPointsPaymentLines()
                .reduce((total, line) => total + Math.min(line.get_amount(), 0), 0);
            if (preview.error || Math.abs(givenBack - preview.amount) > 0.005) {
                this.showPointsAlert(
                    preview.error ||
                        _t(
                            "The refunded lines were paid with points: give back %(amount)s with the Points payment method.",
                            { amount: this.env.utils.formatCurrency(preview.amount) }
                        )
                );
                return;
            }
        }
        if (this.currentOrder.getPointsPaymentAmount() > 0) {
            // Checked again by the server when the order syncs; asked first so that a Points payment
            // is never validated offline, where the server could only refuse it later.
            const preview = await this.fetchPointsPreview();
            if (!preview) {
                return;
            }
            if (preview.error) {
                this.showPointsAlert(preview.error);
                return;
            }
        }
        return super.validateOrder(...arguments);
    },
});
