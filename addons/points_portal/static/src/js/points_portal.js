import { _t } from "@web/core/l10n/translation";
import publicWidget from "@web/legacy/js/public/public_widget";

/** Copy buttons of the member portal: the share link and a new API token. */
publicWidget.registry.PointsPortalCopy = publicWidget.Widget.extend({
    selector: ".o_points_portal",
    events: { "click .o_points_copy": "_onCopy" },

    async _onCopy(ev) {
        const button = ev.currentTarget;
        const input = this.el.querySelector(button.dataset.pointsCopy);
        input.select();
        await navigator.clipboard.writeText(input.value);
        button.textContent = _t("Copied");
    },
});
