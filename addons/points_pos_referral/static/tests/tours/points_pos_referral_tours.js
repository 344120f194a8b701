import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";
import * as TextInputPopup from "@point_of_sale/../tests/tours/utils/text_input_popup_util";
import { registry } from "@web/core/registry";

// Li Referrer's referral code is TOURREF1; Zhao Newcomer never ordered, Qian Regular ordered before.

function scanReferrer(text) {
    return [
        ProductScreen.clickControlButton("Referrer"),
        TextInputPopup.inputText(text),
        Dialog.confirm(),
    ].flat();
}

function payWithBank() {
    return [
        ProductScreen.clickPayButton(),
        PaymentScreen.clickPaymentMethod("Bank"),
        PaymentScreen.clickValidate(),
    ].flat();
}

registry.category("web_tour.tours").add("points_pos_referral_bind_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickPartnerButton(),
            ProductScreen.clickCustomer("Zhao Newcomer"),
            // An unknown code is refused with the reason.
            scanReferrer("NOSUCHCODE"),
            Dialog.is({ title: "Referrer not set" }),
            Dialog.bodyIs("No member has the referral code NOSUCHCODE"),
            Dialog.confirm(),
            // The QR of the member's share link holds the code.
            scanReferrer("http://localhost/points/r/tourref1"),
            {
                content: "the order names the referrer",
                trigger: '.o_notification:contains("Referred by Li Referrer")',
            },
            ProductScreen.addOrderline("Gift Package", "1"),
            payWithBank(),
            ReceiptScreen.isShown(),
        ].flat(),
});

registry.category("web_tour.tours").add("points_pos_referral_refused_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            // The referrer is scanned before the customer is chosen: the server refuses the binding at payment.
            scanReferrer("TOURREF1"),
            {
                content: "the order names the referrer",
                trigger: '.o_notification:contains("Referred by Li Referrer")',
            },
            ProductScreen.clickPartnerButton(),
            ProductScreen.clickCustomer("Qian Regular"),
            ProductScreen.addOrderline("Gift Package", "1"),
            payWithBank(),
            ReceiptScreen.isShown(),
            {
                content: "the cashier learns that the binding was refused",
                trigger: '.o_notification:contains("was not bound to Li Referrer")',
            },
        ].flat(),
});
