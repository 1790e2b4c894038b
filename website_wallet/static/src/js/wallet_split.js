/** @odoo-module **/

import publicWidget from "@web/legacy/js/public/public_widget";
import { rpc } from "@web/core/network/rpc";

/**
 * The split toggle of a payment form: the choice is stored on the server, then
 * the page is built again for what is left to pay (an invoice's Pay Now
 * dialog opens again).
 */
publicWidget.registry.WalletSplit = publicWidget.Widget.extend({
    selector: ".o_wallet_split",
    events: {
        "change .o_wallet_split_toggle": "_onToggle",
    },

    async _onToggle(ev) {
        const toggle = ev.currentTarget;
        toggle.disabled = true;
        await rpc(this.el.dataset.route, {
            use: toggle.checked,
            access_token: this.el.dataset.accessToken || undefined,
        });
        const url = new URL(window.location.href);
        if (document.querySelector("#pay_with")) {
            url.searchParams.set("payment", "True");
        }
        window.location.assign(url);
    },
});

export default publicWidget.registry.WalletSplit;
