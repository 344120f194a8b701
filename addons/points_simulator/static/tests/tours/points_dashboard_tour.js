import { registry } from "@web/core/registry";

/**
 * Back office: open the Points dashboard from the Reports menu, read the KPI cards of the company's pool
 * (the test made a known pool) and check the charts are drawn with their axes; then Compare Runs.
 */
registry.category("web_tour.tours").add("points_dashboard_tour", {
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
            content: "Open the Reports menu",
            trigger: '.o_menu_sections [data-menu-xmlid="points_report.points_reports_menu"]',
            run: "click",
        },
        {
            content: "Open the dashboard",
            trigger: '.dropdown-item[data-menu-xmlid="points_simulator.points_dashboard_menu"]',
            run: "click",
        },
        {
            content: "The pool card shows the pool's balance",
            trigger: '.o_points_dashboard_card[data-key="balance"] .o_points_dashboard_value:contains("1,200.00")',
        },
        {
            content: "The circulating points card shows the pool's points",
            trigger:
                '.o_points_dashboard_card[data-key="circulating_points"] .o_points_dashboard_value:contains("594.4")',
        },
        {
            content: "Today's contributions: four paid orders",
            trigger: '.o_points_dashboard_card[data-key="contributions"] .o_points_dashboard_detail:contains("4")',
        },
        {
            content: "The price chart is drawn with both axes",
            trigger: '.o_points_dashboard_chart[data-chart="price"][data-axes="x,y"] canvas',
        },
        {
            content: "The pool chart is drawn with both axes",
            trigger: '.o_points_dashboard_chart[data-chart="pool"][data-axes="x,y"] canvas',
        },
        {
            content: "Open the Simulator menu",
            trigger: '.o_menu_sections [data-menu-xmlid="points_simulator.points_simulator_menu"]',
            run: "click",
        },
        {
            content: "Open Compare Runs",
            trigger: '.dropdown-item[data-menu-xmlid="points_simulator.points_simulation_compare_menu"]',
            run: "click",
        },
        {
            content: "The two runs are charted with both axes",
            trigger: '.o_points_simulation_compare .o_points_dashboard_chart[data-axes="x,y"] canvas',
        },
        {
            content: "Both runs are ticked",
            trigger: '.o_points_simulation_compare label:contains("Tour short run") input:checked',
        },
    ],
});
