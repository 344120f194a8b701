import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import { makeAwaitable } from "@point_of_sale/app/store/make_awaitable_dialog";
import { TextInputPopup } from "@point_of_sale/app/utils/input_popups/text_input_popup";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { ConnectionLostError, RPCError } from "@web/core/network/rpc";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";

patch(ControlButtons.prototype, {
    /**
     * The cashier scans or types the referrer's code (or the QR of their share link); the server names
     * the member, or says why they cannot refer this order's customer. An empty entry removes the referrer.
     */
    async clickReferrer() {
        const order = this.currentOrder;
        const text = await makeAwaitable(this.dialog, TextInputPopup, {
            title: _t("Referrer of the customer"),
            placeholder: _t("Scan or type the referral code or share link"),
        });
        if (text === undefined) {
            return;
        }
        if (!text.trim()) {
            order.update({ points_referrer_id: false });
            return;
        }
        try {
            const referrer = await this.pos.data.call("pos.order", "points_referrer_from_ui", [
                this.pos.config.id,
                text,
                order.get_partner()?.id || false,
            ]);
            let partner = this.pos.models["res.partner"].get(referrer.id);
            if (!partner) {
                [partner] = await this.pos.data.read("res.partner", [referrer.id]);
            }
            order.update({ points_referrer_id: partner });
            this.notification.add(_t("Referred by %s.", referrer.name), { type: "success" });
        } catch (error) {
            let body = error.message;
            if (error instanceof ConnectionLostError) {
                body = _t("Checking a referral code needs a connection to the server.");
            } else if (error instanceof RPCError) {
                body = error.data?.message || error.message;
            } else {
                throw error;
            }
            this.dialog.add(AlertDialog, { title: _t("Referrer not set"), body });
        }
    },
});
