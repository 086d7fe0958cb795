// Signs in through the login form and screenshots pages with headless Chromium (driven by
// playwright-core). Run by scripts/screenshots.sh, which starts the server:
//   node scripts/screenshots.mjs BASE_URL USERNAME PASSWORD name=/path ...
import { chromium } from "playwright-core";

const [base, username, password, ...shots] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const shoot = async (name) => {
  await page.screenshot({ path: `docs/screenshots/${name}.png` });
  console.log(`docs/screenshots/${name}.png  <-  ${new URL(page.url()).pathname}`);
};

await page.goto(`${base}/login/`);
await shoot("login");
await page.fill("#field-username", username);
await page.fill("#field-password", password);
await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);

for (const shot of shots) {
  const [name, path] = shot.split("=");
  await page.goto(`${base}${path}`);
  await shoot(name);
}

// A new token, shown once, on "My API tokens".
await page.goto(`${base}/user/api-tokens/`);
await page.fill("#field-description", "ansible");
await Promise.all([page.waitForNavigation(), page.click("form.object-form button[type=submit]")]);
await shoot("api-tokens");
await browser.close();
