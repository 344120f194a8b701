import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as Order from "@point_of_sale/../tests/tours/utils/generic_components/order_widget_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";
import * as TicketScreen from "@point_of_sale/../tests/tours/utils/ticket_screen_util";
import { inLeftSide } from "@point_of_sale/../tests/tours/utils/common";
import { registry } from "@web/core/registry";

// The member holds 210 points worth 300.00 at the price 1.428571 (SPEC §3.4, after order 1); a Gift
// Package costs 1000.00 and puts 30% in the pool.

function selectMember() {
    return [ProductScreen.clickPartnerButton(), ProductScreen.clickCustomer("Wu Tourbuyer")].flat();
}

function pointsSummaryShows(selector, text) {
    return inLeftSide({
        content: `the points summary shows ${text}`,
        trigger: `.product-screen .points-summary ${selector}:contains("${text}")`,
    });
}

function receiptShows(selector, text) {
    return {
        content: `the receipt shows ${text}`,
        trigger: `.receipt-screen .pos-receipt ${selector}:contains("${text}")`,
    };
}

function payWithBankAndValidate() {
    return [
        PaymentScreen.clickPaymentMethod("Bank"),
        PaymentScreen.clickValidate(),
        ReceiptScreen.isShown(),
    ].flat();
}

/** The same, waiting longer for the server (a refund applies several pool requests and journal entries). */
function payWithBankAndValidateSlowly() {
    return [
        PaymentScreen.clickPaymentMethod("Bank"),
        PaymentScreen.clickValidate(),
        { content: "the order is synced", trigger: ".pos .receipt-screen", timeout: 30000 },
        ReceiptScreen.isShown(),
    ].flat();
}

registry.category("web_tour.tours").add("points_pos_earn_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            selectMember(),
            pointsSummaryShows(".points-held", "210.0000"),
            pointsSummaryShows(".points-value", "300.00"),
            pointsSummaryShows(".points-price", "1.428571"),
            ProductScreen.addOrderline("Gift Package", "1"),
            pointsSummaryShows(".points-earn", "+147.0000"),
            // The customer collects the order at a service point.
            ProductScreen.clickControlButton("Pickup Point"),
            {
                content: "choose the service point",
                trigger: '.modal .selection-item:contains("East Gate")',
                run: "click",
            },
            pointsSummaryShows(".points-pickup", "East Gate"),
            ProductScreen.clickPayButton(),
            payWithBankAndValidate(),
            receiptShows(".points-receipt-member", "Wu Tourbuyer"),
            receiptShows(".points-receipt-earned", "147.0000"),
            receiptShows(".points-receipt-balance", "357.0000"),
            // The pool holds 600.00 for 357 points: the price after the order and what the 357 points pay.
            receiptShows(".points-receipt-price", "1.680672"),
            receiptShows(".points-receipt-balance-value", "600.00"),
            receiptShows(".points-receipt-pickup", "Pickup at East Gate"),
            {
                content: "remember the reference printed under the receipt's barcode",
                trigger: ".receipt-screen .points-receipt-pickup-code",
                run() {
                    window.pointsPickupCode = this.anchor.textContent.trim();
                },
            },
            ReceiptScreen.clickNextOrder(),
            // Later, the service point's cashier scans the receipt.
            ProductScreen.clickControlButton("Verify Pickup"),
            {
                content: "scan the receipt's barcode",
                trigger: ".modal textarea",
                async run(helpers) {
                    await helpers.edit(window.pointsPickupCode);
                },
            },
            Dialog.confirm("Apply"),
            {
                content: "the pickup is verified",
                trigger: '.o_notification:contains("verified at East Gate")',
            },
            // The member's next order: their points are worth what the receipt printed (one rounding).
            selectMember(),
            pointsSummaryShows(".points-held", "357.0000"),
            pointsSummaryShows(".points-price", "1.680672"),
            pointsSummaryShows(".points-value", "600.00"),
        ].flat(),
});

registry.category("web_tour.tours").add("points_pos_pay_with_points_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            selectMember(),
            ProductScreen.addOrderline("Gift Package", "1"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Points"),
            PaymentScreen.selectedPaymentlineHas("Points", "300.00"),
            {
                content: "the payment uses all the member's points",
                trigger: ".payment-screen .points-summary .points-to-use:contains(210.0000)",
            },
            // One rounding: the 210 points are worth 300.00 and can pay 300.00 (not 299.99 = 210 x 1.428571).
            {
                content: "what the points are worth",
                trigger: ".payment-screen .points-summary .points-value:contains(300.00)",
            },
            {
                content: "is what they can pay",
                trigger: ".payment-screen .points-summary .points-payable:contains(300.00)",
            },
            PaymentScreen.remainingIs("700.00"),
            payWithBankAndValidate(),
            receiptShows(".points-receipt-used", "210.0000"),
            receiptShows(".points-receipt-earned", "102.8999"),
            receiptShows(".points-receipt-balance", "102.8999"),
        ].flat(),
});

registry.category("web_tour.tours").add("points_pos_refund_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            selectMember(),
            ProductScreen.addOrderline("Gift Package", "2"),
            ProductScreen.clickPayButton(),
            payWithBankAndValidate(),
            receiptShows(".points-receipt-earned", "294.0000"),
            ReceiptScreen.clickNextOrder(),
            ...ProductScreen.clickRefund(),
            TicketScreen.selectOrder("Wu Tourbuyer"),
            inLeftSide(Order.hasLine({ productName: "Gift Package", withClass: ".selected" })),
            ProductScreen.clickNumpad("1"),
            TicketScreen.toRefundTextContains("To Refund: 1.00"),
            TicketScreen.confirmRefund(),
            ProductScreen.isShown(),
            ProductScreen.clickPayButton(),
            payWithBankAndValidate(),
            receiptShows(".points-receipt-reversed", "147.0000"),
            receiptShows(".points-receipt-balance", "357.0000"),
        ].flat(),
});

registry.category("web_tour.tours").add("points_pos_pending_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            selectMember(),
            ProductScreen.addOrderline("Gift Package", "1"),
            ProductScreen.clickPayButton(),
            payWithBankAndValidate(),
            // The pool applies the order's points a moment after it synced: the receipt says so.
            receiptShows(".points-receipt-applying", "Points pending"),
            {
                content: "no points figures are printed while they are pending",
                trigger: ".receipt-screen .pos-receipt:not(:has(.points-receipt-balance))",
            },
        ].flat(),
});

registry.category("web_tour.tours").add("points_pos_refund_points_payment_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            selectMember(),
            ProductScreen.addOrderline("Gift Package", "1"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Points"),
            PaymentScreen.selectedPaymentlineHas("Points", "300.00"),
            payWithBankAndValidateSlowly(),
            receiptShows(".points-receipt-used", "210.0000"),
            ReceiptScreen.clickNextOrder(),
            // The customer brings the package back: the points part goes back as points.
            ...ProductScreen.clickRefund(),
            TicketScreen.selectOrder("Wu Tourbuyer"),
            inLeftSide(Order.hasLine({ productName: "Gift Package", withClass: ".selected" })),
            ProductScreen.clickNumpad("1"),
            TicketScreen.toRefundTextContains("To Refund: 1.00"),
            TicketScreen.confirmRefund(),
            ProductScreen.isShown(),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Points"),
            PaymentScreen.selectedPaymentlineHas("Points", "-300.00"),
            payWithBankAndValidateSlowly(),
            receiptShows(".points-receipt-restored", "Points returned"),
            receiptShows(".points-receipt-reversed", "Points taken back"),
        ].flat(),
});
