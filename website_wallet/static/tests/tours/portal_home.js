/** @odoo-module **/

import { registry } from "@web/core/registry";

// Smoke tour: the demo shopper sees the portal home page.
registry.category("web_tour.tours").add("website_wallet_portal_home", {
    url: "/my",
    steps: () => [
        {
            content: "The portal home greets the shopper's documents",
            trigger: ".o_portal_my_home",
        },
        {
            content: "The user menu shows the shopper",
            trigger: "#top .o_user_menu, header:contains('Sam Shopper')",
        },
    ],
});
