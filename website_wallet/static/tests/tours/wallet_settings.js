/** @odoo-module **/

import { registry } from "@web/core/registry";
import { proceedToPayment } from "@website_wallet/../tests/tours/wallet_tour_utils";

registry.category("web_tour.tours").add("website_wallet_settings_minimum", {
    url: "/odoo/action-website.action_website_configuration",
    steps: () => [
        {
            content: "Set the minimum top-up to 25",
            trigger: "div[name='wallet_topup_min'] input",
            run: "edit 25",
        },
        {
            content: "Save: the settings page reloads",
            trigger: ".o_form_button_save",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Saved",
            trigger: "div[name='wallet_topup_min'] input:value(25.00)",
        },
    ],
});

registry.category("web_tour.tours").add("website_wallet_minimum_enforced", {
    url: "/my/wallet/add",
    steps: () => [
        {
            content: "Try less than the new minimum",
            trigger: "input[name='amount']",
            run: "edit 20",
        },
        proceedToPayment(),
        {
            content: "The form says why",
            trigger: ".o_wallet_amount_error:contains(The minimum top-up is)",
        },
        {
            content: "Try the minimum",
            trigger: "input[name='amount']",
            run: "edit 25",
        },
        proceedToPayment(),
        {
            content: "The payment step",
            trigger: ".o_wallet_pay_amount:contains(25.00)",
        },
    ],
});
