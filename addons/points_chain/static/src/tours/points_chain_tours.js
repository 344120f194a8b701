import { registry } from "@web/core/registry";

const node = (name) => `.o_hierarchy_node:has(.o_hierarchy_node_header:contains('${name}'))`;

/** Back office: the team tree shows the top boss, opens onto its team, and a boss in it with its identity. */
registry.category("web_tour.tours").add("points_chain_team_tree_tour", {
    steps: () => [
        {
            content: "the top boss is a root of the tree",
            trigger: `${node("U")}:contains('Boss')`,
        },
        {
            content: "open U's team",
            trigger: `${node("U")} .o_hierarchy_node_button`,
            run: "click",
        },
        {
            content: "T, a boss in U's team, is shown below U",
            trigger: `${node("T")}:contains('Boss')`,
        },
        {
            content: "T's contributed line t1 is in U's team too",
            trigger: `${node("t1")}:contains('Agent')`,
        },
    ],
});
