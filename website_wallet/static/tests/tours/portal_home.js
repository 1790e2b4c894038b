/** @odoo-module **/

import { registry } from "@web/core/registry";

// The portal home's Wallet card shows the available balance and opens My Wallet.
registry.category("web_tour.tours").add("website_wallet_portal_home", {
    url: "/my",
    steps: () => [
        {
            content: "The Wallet card shows the available balance",
            trigger: ".o_wallet_home_balance:contains(123.45)",
        },
        {
            content: "The card opens My Wallet",
            trigger: "a[href='/my/wallet']:has(.o_wallet_home_balance)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "My Wallet shows the same balance",
            trigger: ".o_wallet_balance:contains(123.45)",
        },
    ],
});
