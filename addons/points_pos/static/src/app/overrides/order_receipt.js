import { OrderReceipt } from "@point_of_sale/app/screens/receipt_screen/receipt/order_receipt";
import { formatFloat } from "@web/core/utils/numbers";
import { patch } from "@web/core/utils/patch";

patch(OrderReceipt.prototype, {
    formatPoints(points) {
        return formatFloat(points || 0, { digits: [16, 4] });
    },
    formatPointPrice(price) {
        return formatFloat(price || 0, { digits: [16, 6] });
    },
});
