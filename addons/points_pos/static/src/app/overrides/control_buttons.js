import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import { makeAwaitable } from "@point_of_sale/app/store/make_awaitable_dialog";
import { SelectionPopup } from "@point_of_sale/app/utils/input_popups/selection_popup";
import { TextInputPopup } from "@point_of_sale/app/utils/input_popups/text_input_popup";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { ConnectionLostError, RPCError } from "@web/core/network/rpc";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";

patch(ControlButtons.prototype, {
    async clickPickupPoint() {
        const order = this.currentOrder;
        const current = order.points_pickup_point_id;
        const list = [
            { id: 0, label: _t("No pickup"), isSelected: !current, item: "none" },
            ...this.pos.servicePoints.map((partner) => ({
                id: partner.id,
                label: partner.name,
                isSelected: current?.id === partner.id,
                item: partner,
            })),
        ];
        const choice = await makeAwaitable(this.dialog, SelectionPopup, {
            title: _t("Pickup point of the order"),
            list,
        });
        if (choice) {
            order.update({ points_pickup_point_id: choice === "none" ? false : choice });
        }
    },
    async clickVerifyPickup() {
        const reference = await makeAwaitable(this.dialog, TextInputPopup, {
            title: _t("Verify a pickup"),
            placeholder: _t("Scan the receipt or type the order reference"),
        });
        if (!reference) {
            return;
        }
        try {
            const result = await this.pos.data.call("pos.order", "points_verify_pickup_from_ui", [
                reference,
            ]);
            this.notification.add(
                _t("Pickup of %(order)s verified at %(point)s.", {
                    order: result.order,
                    point: result.pickup_point,
                }),
                { type: "success" }
            );
        } catch (error) {
            let body = error.message;
            if (error instanceof ConnectionLostError) {
                body = _t("Verifying a pickup needs a connection to the server.");
            } else if (error instanceof RPCError) {
                body = error.data?.message || error.message;
            } else {
                throw error;
            }
            this.dialog.add(AlertDialog, { title: _t("Pickup not verified"), body });
        }
    },
});
