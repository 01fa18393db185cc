# Entry points for newcomers and operators; each target says what it runs.
PYTHON ?= python3

.PHONY: install run test demo compose-check screenshots

install:  ## Debian packages + this repository with its test extras (idempotent)
	bash deploy/install.sh

run: install  ## the whole system on this machine: migrations, four services, SMTP sink in var/mail/
	$(PYTHON) -m deploy.local

test: install  ## the test suite (needs PostgreSQL and RabbitMQ on 127.0.0.1)
	$(PYTHON) -m pytest -q

screenshots: install  ## every page of the browser journeys as PNG in docs/screenshots/ (needs PostgreSQL and RabbitMQ)
	rm -f docs/screenshots/*.png
	SCREENSHOTS_DIR="$(CURDIR)/docs/screenshots" $(PYTHON) -m pytest -q \
	  tests/browser/test_journey.py tests/browser/test_login.py tests/browser/test_protection.py \
	  tests/browser/test_viewer.py tests/browser/test_viewer_admin.py tests/browser/test_amendment.py \
	  tests/browser/test_amendment_orderer.py tests/browser/test_guarantee_end.py tests/browser/test_orderer_requests.py \
	  tests/browser/test_contract_list.py

demo:  ## files the seeds' sample application against the running system (make run in another terminal)
	$(PYTHON) -m deploy.demo

compose-check:  ## docker-compose.yml is valid for Debian's docker-compose 1.29 (a placeholder for the required INTERNAL_API_TOKEN)
	INTERNAL_API_TOKEN="$${INTERNAL_API_TOKEN:-compose-check-placeholder}" AUTH_KEY_HMAC_SECRETS="$${AUTH_KEY_HMAC_SECRETS:-placeholder}" docker-compose -f docker-compose.yml config -q
