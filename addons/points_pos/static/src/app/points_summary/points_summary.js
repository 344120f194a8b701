import { Component, useEffect } from "@odoo/owl";
import { usePos } from "@point_of_sale/app/store/pos_hook";
import { formatFloat } from "@web/core/utils/numbers";

/**
 * The selected customer's appreciating points: held, their value, the point price, what the order
 * earns and, on the payment screen, the points a Points payment uses. Figures come from the server,
 * computed as the validation will; offline, from what the POS loaded.
 */
export class PointsSummary extends Component {
    static template = "points_pos.PointsSummary";
    static props = { order: Object, showPayment: { type: Boolean, optional: true } };

    setup() {
        this.pos = usePos();
        useEffect(
            () => {
                this.pos.fetchPointsPreview(this.props.order).catch(() => {});
            },
            () => [this.requestKey]
        );
    }
    /** Read while rendering, so that any change of the customer, lines or points paid re-renders. */
    get requestKey() {
        return JSON.stringify(this.props.order.getPointsPreviewRequest());
    }
    get partner() {
        return this.props.order.get_partner();
    }
    get preview() {
        const preview = this.props.order.uiState.pointsPreview;
        if (preview && preview.partnerId === this.partner?.id) {
            return preview;
        }
        return this.pos.pointsFallback(this.props.order);
    }
    formatPoints(points) {
        return formatFloat(points || 0, { digits: [16, 4] });
    }
    formatPrice(price) {
        return formatFloat(price || 0, { digits: [16, 6] });
    }
}
