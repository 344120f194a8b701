import { registry } from "@web/core/registry";

/**
 * Back office: open the Points app, read the pool's price, open a member's
 * wallet and sell points for the member through the wizard.
 */
registry.category("web_tour.tours").add("points_pool_sell_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the Points app",
            trigger: '.o_app[data-menu-xmlid="points_pool.points_root_menu"]',
            run: "click",
        },
        {
            content: "The pool shows its price",
            trigger: '.o_form_view .o_field_widget[name="price"]:not(:empty)',
        },
        {
            content: "Open the member wallets",
            trigger: 'button[name="action_open_wallets"]',
            run: "click",
        },
        {
            content: "Open the tour member's wallet",
            trigger: '.o_list_view .o_data_row td:contains("Tour Member")',
            run: "click",
        },
        {
            content: "Sell points",
            trigger: '.o_form_view button[name="action_sell_points"]',
            run: "click",
        },
        {
            content: "Ask for 10 points",
            trigger: '.modal .o_field_widget[name="points"] input',
            run: "edit 10 && click .modal-body",
        },
        {
            content: "The payout preview appears",
            trigger: '.modal .o_field_widget[name="payout"]:not(:contains("0.00"))',
        },
        {
            content: "Confirm the sale",
            trigger: '.modal button[name="action_sell"]',
            run: "click",
        },
        {
            content: "The sale's request opens, applied at once (the pool is free)",
            trigger: '.o_form_view .o_statusbar_status button.o_arrow_button_current:contains("Applied")',
        },
        {
            content: "Its ledger row took the 10 points",
            trigger: '.o_form_view .o_field_widget[name="ledger_ids"] td:contains("-10.0000")',
        },
    ],
});
