import { PosOrder } from "@point_of_sale/app/models/pos_order";
import { patch } from "@web/core/utils/patch";

patch(PosOrder.prototype, {
    /** Payment lines paid with the customer's points. */
    getPointsPaymentLines() {
        return this.payment_ids.filter((line) => line.payment_method_id?.points_payment);
    },
    getPointsPaymentAmount() {
        return this.getPointsPaymentLines().reduce((total, line) => total + line.get_amount(), 0);
    },
    /** Refunded lines as the server's refund preview needs them: what each gives back, taxes included. */
    getPointsRefundRequest() {
        return this.lines
            .filter((line) => line.refunded_orderline_id && line.get_quantity() < 0)
            .map((line) => ({
                refunded_orderline_id: line.refunded_orderline_id.id,
                amount: -line.get_price_with_tax(),
            }));
    },
    /** What the server preview needs; a change of it asks the server again. */
    getPointsPreviewRequest() {
        const partner = this.get_partner();
        const lines = this.lines
            .filter((line) => line.product_id && !line.refunded_orderline_id)
            .map((line) => ({
                product_id: line.product_id.id,
                qty: line.get_quantity(),
                price_subtotal: line.get_price_without_tax(),
                price_subtotal_incl: line.get_price_with_tax(),
            }));
        return {
            partnerId: partner?.id || false,
            lines,
            pointsAmount: this.getPointsPaymentAmount(),
        };
    },
    /** Code printed as the receipt's barcode: the order reference a pickup is verified with. */
    getPickupCode() {
        return (this.pos_reference || "").split(" ").at(-1);
    },
    export_for_printing(baseUrl, headerData) {
        const result = super.export_for_printing(...arguments);
        const synced = typeof this.id === "number";
        const moved =
            this.points_earned || this.points_used || this.points_reversed || this.points_restored;
        // Synced, but the profit pool applies the order's points a moment later: its figures are not known yet.
        const applying = Boolean(synced && this.points_pending);
        result.points = {
            shown: Boolean(synced && moved && !applying),
            pending: Boolean(!synced && this.get_partner()),
            applying,
            earned: this.points_earned || 0,
            used: this.points_used || 0,
            reversed: this.points_reversed || 0,
            restored: this.points_restored || 0,
            balance: this.points_balance || 0,
            // The member's name, the point price after the order and what the new balance pays (the
            // redeem value, rounded down as the pool pays it: the same figure the POS shows as "worth").
            member: this.get_partner()?.name || "",
            price: this.points_price || 0,
            balance_value: this.points_balance_value || 0,
        };
        result.pickup = this.points_pickup_point_id
            ? { name: this.points_pickup_point_id.name, code: this.getPickupCode() }
            : false;
        return result;
    },
});
