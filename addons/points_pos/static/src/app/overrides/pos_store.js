import { PosStore } from "@point_of_sale/app/store/pos_store";
import { patch } from "@web/core/utils/patch";
import { ConnectionLostError } from "@web/core/network/rpc";

/** Milliseconds the order must stay unchanged before the screen asks the server for its points. */
const PREVIEW_DELAY = 250;

patch(PosStore.prototype, {
    async setup() {
        this.pointsPreviewTimers = {};
        this.pointsPreviewSequence = 0;
        await super.setup(...arguments);
    },
    get pointsPaymentMethods() {
        return this.models["pos.payment.method"].filter((method) => method.points_payment);
    },
    get servicePoints() {
        return this.models["res.partner"].filter((partner) => partner.points_is_service_point);
    },
    /**
     * Points figures of an order from what the POS loaded, until (or when) the server cannot answer:
     * the customer's points and value when the session started, and no earning estimate.
     */
    pointsFallback(order) {
        const partner = order.get_partner();
        return {
            member: Boolean(partner),
            price: this.config.points_price || 0,
            points: partner?.points_pos_balance || 0,
            value: partner?.points_pos_value || 0,
            payable: partner?.points_pos_value || 0,
            earn: false,
            points_to_use: 0,
            error: false,
            offline: true,
        };
    },
    /** What a refund order gives back as points, from the server: ``{amount, error}``. */
    async fetchPointsRefundPreview(order) {
        return await this.data.call("pos.order", "points_refund_preview_from_ui", [
            this.config.id,
            order.getPointsRefundRequest(),
        ]);
    },
    /**
     * Asks the server what the order earns and spends in points, with the computation the validation
     * uses; the answer is kept in ``order.uiState.pointsPreview``. Debounced unless ``immediate``.
     * Throws ConnectionLostError only when ``immediate`` (callers that must not go on offline).
     */
    async fetchPointsPreview(order, { immediate = false } = {}) {
        const request = order.getPointsPreviewRequest();
        if (!request.partnerId) {
            order.uiState.pointsPreview = null;
            return null;
        }
        if (!immediate) {
            clearTimeout(this.pointsPreviewTimers[order.uuid]);
            await new Promise((resolve) => {
                this.pointsPreviewTimers[order.uuid] = setTimeout(resolve, PREVIEW_DELAY);
            });
        }
        const sequence = ++this.pointsPreviewSequence;
        let preview;
        try {
            preview = await this.data.call("pos.order", "points_preview_from_ui", [
                this.config.id,
                request.partnerId,
                request.lines,
                request.pointsAmount,
            ]);
        } catch (error) {
            if (immediate || !(error instanceof ConnectionLostError)) {
                throw error;
            }
            preview = this.pointsFallback(order);
        }
        const partner = this.models["res.partner"].get(request.partnerId);
        if (partner && !preview.offline) {
            partner.update({ points_pos_balance: preview.points, points_pos_value: preview.value });
        }
        if (sequence === this.pointsPreviewSequence || immediate) {
            order.uiState.pointsPreview = { ...preview, partnerId: request.partnerId };
        }
        return preview;
    },
});
