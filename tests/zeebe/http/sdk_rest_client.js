// Drives the embedded engine's /v2 API with the official Node SDK (@camunda8/sdk, REST client).
// Usage: node sdk_rest_client.js <rest address> <bpmn file>; prints one JSON object of results.
"use strict";

const { Camunda8 } = require("@camunda8/sdk");

async function main() {
  const [restAddress, bpmnFile] = process.argv.slice(2);
  const c8 = new Camunda8({
    ZEEBE_REST_ADDRESS: restAddress,
    CAMUNDA_AUTH_STRATEGY: "NONE",
    CAMUNDA_LOG_LEVEL: "error",
  });
  const rest = c8.getCamundaRestClient();
  const out = {};

  const topology = await rest.getTopology();
  out.clusterSize = topology.clusterSize;

  const deployment = await rest.deployResourcesFromFiles([bpmnFile]);
  const definition = deployment.processes[0];
  out.deployedProcessId = definition.processDefinitionId;
  out.deployedKey = String(definition.processDefinitionKey);

  const created = await rest.createProcessInstance({
    processDefinitionId: "sdk-order",
    variables: { orderId: "sdk-1", amount: 7 },
  });
  out.createdKey = String(created.processInstanceKey);

  const jobs = await rest.activateJobs({
    type: "sdk.pay",
    worker: "sdk-worker",
    timeout: 30000,
    maxJobsToActivate: 5,
    requestTimeout: 5000,
  });
  out.jobCount = jobs.length;
  out.jobVariables = jobs.length ? jobs[0].variables : null;
  for (const job of jobs) {
    await rest.completeJob({ jobKey: job.jobKey, variables: { paid: true } });
  }

  const published = await rest.publishMessage({
    name: "sdk-confirmed",
    correlationKey: "sdk-1",
    variables: { confirmed: true },
    timeToLive: 0,
  });
  out.messageKey = String(published.messageKey);

  const search = await rest.searchProcessInstances({
    filter: { processDefinitionId: "sdk-order" },
    sort: [{ field: "startDate", order: "DESC" }],
  });
  out.searchTotal = search.page.totalItems;
  out.searchStates = search.items.map((item) => item.state);

  console.log(JSON.stringify(out));
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
