import { registry } from "@web/core/registry";

/**
 * Back office: a withdrawal over the second level's amount gets its last approval
 * (tier validation), then two approved requests are paid at once from the list with a
 * journal, a payment method and a reference.
 */
registry.category("web_tour.tours").add("points_withdrawal_tier_batch_tour", {
    steps: () => [
        {
            content: "Open the large request, waiting for its second level",
            trigger: '.o_list_view .o_data_row td:contains("Tour Big Member")',
            run: "click",
        },
        {
            content: "It names the member's payee, masked",
            trigger: '.o_form_view .o_field_widget[name="payee_id"]:contains("**** 7890")',
        },
        {
            content: "Validate the second level",
            trigger: '.o_form_view button[name="validate_tier"]',
            run: "click",
        },
        {
            content: "The request is validated at every level",
            trigger: '.o_form_view .alert-success:contains("validated")',
        },
        {
            content: "Back to the list",
            trigger: ".o_breadcrumb .o_back_button, .o_breadcrumb li.breadcrumb-item a",
            run: "click",
        },
        {
            content: "Select every request waiting for payment",
            trigger: ".o_list_view thead .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Pay them",
            trigger: '.o_control_panel_actions button[name="action_open_payment_wizard"], .o_list_buttons button[name="action_open_payment_wizard"], button[name="action_open_payment_wizard"]',
            run: "click",
        },
        {
            content: "The wizard counts two requests",
            trigger: '.modal .o_field_widget[name="count"]:contains("2")',
        },
        {
            content: "Give the batch reference",
            trigger: '.modal .o_field_widget[name="reference"] input',
            run: "edit TOUR-BATCH-1",
        },
        {
            content: "Pay",
            trigger: '.modal button[name="action_pay"]',
            run: "click",
        },
        {
            content: "Nothing waits any more",
            trigger: ".o_view_nocontent, .o_list_view:not(:has(.o_data_row))",
        },
    ],
});
