/** Every container the lab creates carries this label, so teardown finds exactly those. */
export const labLabel = 'io.dockerception.lab=true';
export const labLabels = {'io.dockerception.lab': 'true'};
