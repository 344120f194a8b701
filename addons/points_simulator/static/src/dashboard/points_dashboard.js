import { Component, onWillStart, onWillUnmount, useEffect, useRef, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

const COLORS = ["#017e84", "#714b67", "#e8a202", "#d9534f", "#5b8c2a", "#3c6ea5", "#8f8f8f"];

/**
 * Draws a Chart.js chart on ``canvas`` with titled axes, and writes the ids of the axes it drew on the
 * canvas' container (``data-axes``) so that a tour can check the chart has them.
 */
export function drawChart(canvas, config) {
    const chart = new window.Chart(canvas, config);
    canvas.parentElement.dataset.axes = Object.keys(chart.scales).sort().join(",");
    return chart;
}

function axes(xTitle, yTitle, extra = {}) {
    return {
        x: { title: { display: true, text: xTitle }, ticks: { maxTicksLimit: 12 } },
        y: { title: { display: true, text: yTitle }, beginAtZero: false },
        ...extra,
    };
}

/** The Points dashboard: the KPI cards of the company's pool and its last days in charts. */
export class PointsDashboard extends Component {
    static template = "points_simulator.PointsDashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.company = useService("company");
        this.priceCanvas = useRef("priceCanvas");
        this.poolCanvas = useRef("poolCanvas");
        this.state = useState({ data: null, days: 90 });
        this.charts = [];
        onWillStart(async () => {
            await loadBundle("web.chartjs_lib");
            await this.load();
        });
        useEffect(
            () => {
                this.drawCharts();
                return () => this.destroyCharts();
            },
            () => [this.state.data]
        );
        onWillUnmount(() => this.destroyCharts());
    }

    async load() {
        this.state.data = await this.orm.call("points.dashboard", "get_dashboard_data", [], {
            company_id: this.company.currentCompany.id,
            days: this.state.days,
        });
    }

    async onChangeDays(ev) {
        this.state.days = parseInt(ev.target.value);
        await this.load();
    }

    openCard(card) {
        if (card.action) {
            this.actionService.doAction(card.action);
        }
    }

    destroyCharts() {
        this.charts.forEach((chart) => chart.destroy());
        this.charts = [];
    }

    drawCharts() {
        this.destroyCharts();
        const series = this.state.data?.series;
        if (!series || !series.labels.length || !this.priceCanvas.el) {
            return;
        }
        const currency = this.state.data.currency;
        this.charts.push(
            drawChart(this.priceCanvas.el, {
                type: "line",
                data: {
                    labels: series.labels,
                    datasets: [
                        {
                            label: _t("Closing Price"),
                            data: series.price,
                            borderColor: COLORS[0],
                            backgroundColor: COLORS[0],
                            stepped: true,
                        },
                    ],
                },
                options: {
                    maintainAspectRatio: false,
                    animation: false,
                    scales: axes(_t("Date"), _t("Price (%s)", currency)),
                },
            })
        );
        this.charts.push(
            drawChart(this.poolCanvas.el, {
                data: {
                    labels: series.labels,
                    datasets: [
                        {
                            type: "line",
                            label: _t("Pool Balance"),
                            data: series.balance,
                            borderColor: COLORS[1],
                            backgroundColor: COLORS[1],
                        },
                        {
                            type: "bar",
                            label: _t("Contributions"),
                            data: series.contributions,
                            backgroundColor: COLORS[2],
                        },
                        {
                            type: "bar",
                            label: _t("Payouts (sales and forced exits)"),
                            data: series.payouts,
                            backgroundColor: COLORS[3],
                        },
                    ],
                },
                options: {
                    maintainAspectRatio: false,
                    animation: false,
                    scales: axes(_t("Date"), _t("Amount (%s)", currency), {
                        y: { title: { display: true, text: _t("Amount (%s)", currency) }, beginAtZero: true },
                    }),
                },
            })
        );
    }
}

/** Compare Runs: simulation runs side by side, day by day; a shorter run's line ends on its last day. */
export class PointsSimulationCompare extends Component {
    static template = "points_simulator.PointsSimulationCompare";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.canvas = useRef("canvas");
        this.state = useState({ data: null });
        this.chart = null;
        onWillStart(async () => {
            await loadBundle("web.chartjs_lib");
            await this.load();
        });
        useEffect(
            () => {
                this.draw();
                return () => this.destroy();
            },
            () => [this.state.data]
        );
    }

    async load(simulationIds = null, measure = "price") {
        this.state.data = await this.orm.call("points.dashboard", "get_compare_data", [], {
            simulation_ids: simulationIds,
            measure,
        });
    }

    selectedIds() {
        return this.state.data.available.filter((run) => run.selected).map((run) => run.id);
    }

    async toggleRun(run) {
        run.selected = !run.selected;
        const ids = this.selectedIds();
        await this.load(ids.length ? ids : [], this.state.data.measure);
    }

    async onChangeMeasure(ev) {
        await this.load(this.selectedIds(), ev.target.value);
    }

    destroy() {
        this.chart?.destroy();
        this.chart = null;
    }

    draw() {
        this.destroy();
        const data = this.state.data;
        if (!data || !data.labels.length || !this.canvas.el) {
            return;
        }
        const measure = data.measures.find((m) => m.key === data.measure);
        this.chart = drawChart(this.canvas.el, {
            type: "line",
            data: {
                labels: data.labels,
                datasets: data.runs.map((run, index) => ({
                    label: run.name,
                    data: run.data,
                    borderColor: COLORS[index % COLORS.length],
                    backgroundColor: COLORS[index % COLORS.length],
                    // A run ends on its last day: no line after it (null), never a drop to zero.
                    spanGaps: false,
                    pointRadius: 0,
                })),
            },
            options: {
                maintainAspectRatio: false,
                animation: false,
                interaction: { mode: "index", intersect: false },
                scales: axes(_t("Day"), measure ? measure.label : data.measure),
            },
        });
    }
}

registry.category("actions").add("points_dashboard", PointsDashboard);
registry.category("actions").add("points_simulation_compare", PointsSimulationCompare);
