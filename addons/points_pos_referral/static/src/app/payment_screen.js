import { PaymentScreen } from "@point_of_sale/app/screens/payment_screen/payment_screen";
import { patch } from "@web/core/utils/patch";

patch(PaymentScreen.prototype, {
    async afterOrderValidation() {
        // The order is paid whatever happened to the binding: the cashier only learns that it was refused.
        const refusal = this.currentOrder.points_referral_refusal;
        if (refusal) {
            this.notification.add(refusal, { type: "warning", sticky: true });
        }
        return super.afterOrderValidation(...arguments);
    },
});
