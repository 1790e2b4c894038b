/** @odoo-module **/

import { registry } from "@web/core/registry";
import * as tourUtils from "@website_sale/js/tours/tour_utils";
import { payByWireTransfer, proceedToPayment } from "@website_wallet/../tests/tours/wallet_tour_utils";

function buy(productName) {
    return [
        ...tourUtils.searchProduct(productName, { select: true }),
        {
            content: "Add to cart",
            trigger: "#product_detail form[action^='/shop/cart/update'] #add_to_cart",
            run: "click",
        },
        tourUtils.goToCart(),
    ];
}

function checkout() {
    // Services only and a complete address: the checkout goes straight to payment.
    return [
        tourUtils.goToCheckout(),
        {
            content: "The payment step",
            trigger: "#o_payment_form",
        },
    ];
}

function payWithWallet() {
    return [
        {
            content: "Choose the wallet",
            trigger: "input[name='o_payment_radio'][data-payment-method-code='wallet']:not(:disabled)",
            run: "click",
        },
        {
            content: "Pay",
            trigger: "button[name='o_payment_submit_button']:not(:disabled)",
            run: "click",
            expectUnloadPage: true,
        },
    ];
}

function payByDemoCard() {
    return [
        {
            content: "Choose the demo provider",
            trigger: "input[name='o_payment_radio'][data-payment-method-code='demo']",
            run: "click",
        },
        {
            content: "Card number",
            trigger: "input[name='customer_input']",
            run: "edit 4242424242424242",
        },
    ];
}

function useWalletBalance(wallet, rest) {
    return [
        {
            content: "Use the wallet balance for part of the payment",
            trigger: `.o_wallet_split:contains(${wallet}):contains(${rest}) input.o_wallet_split_toggle:not(:checked)`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The form now pays the rest, without the wallet nor wire transfer",
            trigger: `.o_wallet_split input.o_wallet_split_toggle:checked`,
        },
        {
            content: "Neither the wallet nor wire transfer is offered for the rest",
            trigger:
                "#o_payment_form:not(:has([data-payment-method-code='wallet'])):not(:has([data-payment-method-code='wire_transfer']))",
        },
    ];
}

function orderConfirmed() {
    return {
        content: "The order is confirmed",
        trigger: ".oe_website_sale_tx_status:contains(successfully processed)",
        timeout: 30000,
    };
}

function shortfall(available, needed, missing) {
    return [
        {
            content: "The wallet shows, disabled, with the missing amount",
            trigger: `.o_wallet_shortfall:has(input:disabled) .o_wallet_shortfall_text:contains(${available}):contains(${needed})`,
        },
        {
            content: "The wallet cannot be chosen",
            trigger: "#o_payment_form:not(:has(input[data-payment-method-code='wallet']:not(:disabled)))",
        },
        {
            content: "Follow the link to add the missing amount",
            trigger: `a.o_wallet_topup_link:contains(${missing})`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Add Money is prefilled with the shortfall",
            trigger: `input[name='amount'][value='${missing}']`,
        },
    ];
}

registry.category("web_tour.tours").add("website_wallet_checkout", {
    url: "/shop",
    steps: () => [...buy("Wallet Gadget"), ...checkout(), ...payWithWallet(), orderConfirmed()],
});

registry.category("web_tour.tours").add("website_wallet_shortfall", {
    url: "/shop",
    steps: () => [
        ...buy("Wallet Console"),
        ...checkout(),
        ...shortfall("242.50", "750.00", "507.50"),
    ],
});

registry.category("web_tour.tours").add("website_wallet_invoice", {
    steps: () => [
        {
            content: "Pay Now",
            trigger: "a[data-bs-target='#pay_with']:contains(Pay Now)",
            run: "click",
        },
        {
            content: "Choose the wallet",
            trigger: "#pay_with input[name='o_payment_radio'][data-payment-method-code='wallet']:not(:disabled)",
            run: "click",
        },
        {
            content: "Pay",
            trigger: "#pay_with button[name='o_payment_submit_button']:not(:disabled)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The invoice shows Paid",
            trigger: ".badge:contains(Paid)",
            timeout: 30000,
        },
    ],
});

registry.category("web_tour.tours").add("website_wallet_split_checkout", {
    url: "/shop",
    steps: () => [
        ...buy("Wallet Console"),
        ...checkout(),
        ...useWalletBalance("242.50", "507.50"),
        ...payByDemoCard(),
        {
            content: "Pay the rest",
            trigger: "button[name='o_payment_submit_button']:not(:disabled)",
            run: "click",
            expectUnloadPage: true,
        },
        orderConfirmed(),
    ],
});

registry.category("web_tour.tours").add("website_wallet_split_invoice", {
    steps: () => [
        {
            content: "Pay Now",
            trigger: "a[data-bs-target='#pay_with']:contains(Pay Now)",
            run: "click",
        },
        {
            content: "Use the wallet balance for part of the invoice",
            trigger: "#pay_with .o_wallet_split:contains(30.00):contains(70.00) input.o_wallet_split_toggle:not(:checked)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The dialog opens again, for the rest",
            trigger: "#pay_with .o_wallet_split input.o_wallet_split_toggle:checked",
        },
        {
            content: "Choose the demo provider",
            trigger: "#pay_with input[name='o_payment_radio'][data-payment-method-code='demo']",
            run: "click",
        },
        {
            content: "Card number",
            trigger: "#pay_with input[name='customer_input']",
            run: "edit 4242424242424242",
        },
        {
            content: "Pay the rest",
            trigger: "#pay_with button[name='o_payment_submit_button']:not(:disabled)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The invoice shows Paid",
            trigger: ".badge:contains(Paid)",
            timeout: 30000,
        },
    ],
});

// The seed scenario, in the shopper's browser; the test confirms the transfer.
registry.category("web_tour.tours").add("website_wallet_seed_short_then_wire", {
    url: "/shop",
    steps: () => [
        ...buy("Wallet Console"),
        ...checkout(),
        ...shortfall("242.50", "750.00", "507.50"),
        {
            content: "Add 600.00 instead",
            trigger: "input[name='amount']",
            run: "edit 600.00",
        },
        proceedToPayment(),
        ...payByWireTransfer(),
    ],
});

registry.category("web_tour.tours").add("website_wallet_seed_pay_cart", {
    url: "/shop/cart",
    steps: () => [...checkout(), ...payWithWallet(), orderConfirmed()],
});
