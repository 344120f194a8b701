import { registry } from "@web/core/registry";

/** Portal: a member sells 10 points, sees the value, fee and net, then confirms. */
registry.category("web_tour.tours").add("points_portal_sell_tour", {
    url: "/my/points",
    steps: () => [
        {
            content: "The wallet card shows the points held",
            trigger: ".o_points_wallet .o_points_held",
        },
        {
            content: "Ask to sell 10 points",
            trigger: ".o_points_sell_form input[name='points']",
            run: "edit 10",
        },
        {
            content: "Preview the sale",
            trigger: ".o_points_sell_form button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The preview shows what the member gets",
            trigger: ".o_points_sell_preview .o_points_sell_net",
        },
        {
            content: "Confirm the sale",
            trigger: ".o_points_sell_confirm",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The sale is confirmed",
            trigger: ".o_points_flash.alert-success:contains('10')",
        },
    ],
});

/** Portal: a member asks to withdraw 5.00 of cash and sees the request waiting for approval. */
registry.category("web_tour.tours").add("points_portal_withdrawal_tour", {
    url: "/my/points/withdrawals",
    steps: () => [
        {
            content: "Enter the amount",
            trigger: ".o_points_withdrawal_form input[name='amount']",
            run: "edit 5",
        },
        {
            content: "Preview the request",
            trigger: ".o_points_withdrawal_form button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The preview shows the fee and the amount paid",
            trigger: ".o_points_withdrawal_preview .o_points_withdrawal_net",
        },
        {
            content: "Send the request",
            trigger: ".o_points_withdrawal_confirm",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request is listed, waiting for approval",
            trigger: ".o_points_flash.alert-success",
        },
        {
            content: "It can still be cancelled",
            trigger: ".o_points_withdrawal_row button:contains('Cancel')",
        },
    ],
});

/** Portal: a member without a referrer binds with a referral code. */
registry.category("web_tour.tours").add("points_portal_bind_tour", {
    url: "/my/points/team",
    steps: () => [
        {
            content: "Type the referral code of the member who invited me",
            trigger: ".o_points_bind_form input[name='code']",
            run: "edit teamb234",
        },
        {
            content: "Bind",
            trigger: ".o_points_bind_form button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The referrer is shown",
            trigger: ".o_points_referrer:contains('Member B')",
        },
        {
            content: "The form is gone: members bind once",
            trigger: ".o_points_portal:not(:has(.o_points_bind_form))",
        },
    ],
});

/** Fails the step when an element sticks out of the phone's screen (cut off or scrolled away). */
function assertInView(selector, what) {
    return {
        content: `${what} is fully on the screen`,
        trigger: selector,
        run() {
            const width = document.documentElement.clientWidth;
            for (const element of document.querySelectorAll(selector)) {
                const box = element.getBoundingClientRect();
                if (box.width === 0 || box.left < 0 || box.right > width + 0.5) {
                    throw new Error(`${what} is cut off: ${Math.round(box.left)}–${Math.round(box.right)} of ${width} px`);
                }
            }
        },
    };
}

function openTab(label, page) {
    return [
        assertInView(".o_points_nav .nav-link", "every tab"),
        {
            content: `open the ${label} tab`,
            trigger: `.o_points_nav .nav-link:contains('${label}')`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: `the ${label} tab is the active one`,
            trigger: `.o_points_nav .nav-link.active:contains('${label}')`,
        },
        { content: `the ${label} page is shown`, trigger: page },
    ];
}

/** Portal on a phone (390 × 844): the tabs wrap, every tab opens (the chain reward too), row actions are not cut off. */
registry.category("web_tour.tours").add("points_portal_mobile_tour", {
    url: "/my/points",
    steps: () => [
        {
            content: "the tabs wrap onto several lines instead of scrolling sideways",
            trigger: ".o_points_nav",
            run() {
                const nav = document.querySelector(".o_points_nav");
                if (document.documentElement.clientWidth > 420) {
                    throw new Error(`the browser is not phone-sized: ${document.documentElement.clientWidth} px`);
                }
                if (getComputedStyle(nav).flexWrap !== "wrap" || nav.scrollWidth > nav.clientWidth + 1) {
                    throw new Error("the tab bar does not wrap");
                }
            },
        },
        ...openTab("Ledger", ".o_points_ledger_filters"),
        ...openTab("Withdrawals", ".o_points_withdrawal_form"),
        assertInView(".o_points_withdrawal_row .o_points_withdrawal_cancel", "the Cancel button of a withdrawal"),
        ...openTab("Referral and Team", ".o_points_referral_code"),
        ...openTab("Chain Reward", ".o_points_chain_program"),
        assertInView(".o_points_chain_identity", "the chain identity"),
        assertInView(".o_points_chain_line", "every contributed line"),
        assertInView(".o_points_chain_task", "the chain fund task"),
        assertInView(".o_points_chain_team_row td", "every cell of the chain team"),
        assertInView(".o_points_chain_reward_row td:not(.d-none)", "every cell of the latest chain rewards"),
        ...openTab("Rewards", ".o_points_reward_row"),
        ...openTab("Rebate Queue", "body"),
        ...openTab("App Access", ".o_points_api_help"),
        assertInView(".o_points_token_row .o_points_token_revoke", "the Revoke button of an app key"),
        ...openTab("Wallet", ".o_points_wallet"),
        assertInView(".o_points_sell_form button[type='submit']", "the Preview button"),
    ],
});
